package io.floe.changelog;

/**
 * One durable state of the {@link WatermarkLayout watermark file}.
 *
 * @param generation     increases by one per write; 0 = never written
 * @param checkpointId   last committed checkpoint id, or -1
 * @param committedSeq   highest committed seq, or -1
 * @param committedIndex Chronicle index of the record holding committedSeq, or -1
 * @param releasedSeq    highest seq held in a released queue file, or -1
 */
record WatermarkState(long generation, long checkpointId, long committedSeq, long committedIndex, long releasedSeq) {
    static final WatermarkState EMPTY = new WatermarkState(0, -1, -1, -1, -1);

    WatermarkState withCommit(long newCheckpointId, long newCommittedSeq, long newCommittedIndex) {
        return new WatermarkState(generation + 1, newCheckpointId, newCommittedSeq, newCommittedIndex, releasedSeq);
    }

    WatermarkState withReleased(long newReleasedSeq) {
        return new WatermarkState(generation + 1, checkpointId, committedSeq, committedIndex, newReleasedSeq);
    }
}
