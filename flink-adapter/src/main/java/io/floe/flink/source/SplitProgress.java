package io.floe.flink.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * Where the reader of one {@link BucketSplit} stands, and which changelog records it still has to
 * emit. The rules, for a split whose snapshot scan was interrupted by a restart at snapshot seq S1
 * after key K (the old snapshot cannot be re-opened):
 * <ol>
 *   <li>the scan continues on a new snapshot S2 with the keys above K ({@link #startScan});</li>
 *   <li>the tail then starts at S1 + 1, and a record with seq in (S1, S2] is emitted only if its
 *       key is at most K (the other keys' changes up to S2 are in the S2 scan); every record after
 *       S2 is emitted ({@link #acceptTail}).</li>
 * </ol>
 * Repeated restarts add one {@link BucketSplit.Covered} entry each. Without restarts the tail
 * starts right after the snapshot and no record is filtered.
 *
 * <p>Threads: single owner (the source reader's task thread). Pure logic: no I/O.
 */
public final class SplitProgress {
    private final int bucket;
    private BucketSplit.Phase phase;
    private long snapshotSeq;
    /** The last key emitted by the current scan: {@code lastKey[0, lastKeyLength)}; length -1: none yet. */
    private byte[] lastKey = new byte[64];
    private int lastKeyLength = -1;
    private long nextSeq;
    private final List<BucketSplit.Covered> covered;

    public SplitProgress(BucketSplit split) {
        this.bucket = split.bucket();
        this.phase = split.phase();
        this.snapshotSeq = split.snapshotSeq();
        byte[] after = split.afterKey();
        if (after != null) {
            lastKey = Arrays.copyOf(after, Math.max(64, after.length));
            lastKeyLength = after.length;
        }
        this.nextSeq = split.nextSeq();
        this.covered = new ArrayList<>(split.covered());
    }

    public int bucket() {
        return bucket;
    }

    public BucketSplit.Phase phase() {
        return phase;
    }

    public long nextSeq() {
        return nextSeq;
    }

    /**
     * Starts (or restarts) the snapshot scan on a snapshot at seq {@code seq}. Returns the first key
     * the scan must read, inclusive (the smallest key above everything already emitted), or null to
     * read from the first key. Requires: the phase is SNAPSHOT.
     */
    public byte[] startScan(long seq) {
        requirePhase(BucketSplit.Phase.SNAPSHOT);
        if (lastKeyLength >= 0) {
            covered.add(new BucketSplit.Covered(Arrays.copyOf(lastKey, lastKeyLength), snapshotSeq));
            lastKeyLength = -1;
        }
        snapshotSeq = seq;
        if (covered.isEmpty()) {
            return null;
        }
        byte[] last = covered.get(covered.size() - 1).upToKey();
        return Arrays.copyOf(last, last.length + 1); // last ++ 0x00: the smallest key above last
    }

    /** Records that the scan emitted the row of key {@code key[0, length)}. Requires: phase SNAPSHOT, keys ascending. */
    public void emitted(DirectBuffer key, int length) {
        if (lastKey.length < length) {
            lastKey = new byte[Math.max(length, lastKey.length * 2)];
        }
        key.getBytes(0, lastKey, 0, length);
        lastKeyLength = length;
    }

    /** Ends the snapshot scan; the split continues with the changelog. Requires: the phase is SNAPSHOT and a scan was started. */
    public void scanDone() {
        requirePhase(BucketSplit.Phase.SNAPSHOT);
        lastKeyLength = -1;
        phase = BucketSplit.Phase.TAIL;
        if (covered.isEmpty()) {
            nextSeq = snapshotSeq + 1;
            return;
        }
        covered.add(new BucketSplit.Covered(null, snapshotSeq));
        nextSeq = covered.get(0).seq() + 1;
        prune();
    }

    /**
     * Records that the changelog returned the record of seq {@code seq} and key {@code key[0, length)}.
     * Returns iff the record must be emitted (its change is not already in an emitted scan).
     * Requires: the phase is TAIL; seqs ascending.
     */
    public boolean acceptTail(long seq, DirectBuffer key, int length) {
        requirePhase(BucketSplit.Phase.TAIL);
        nextSeq = seq + 1;
        if (covered.isEmpty()) {
            return true;
        }
        boolean emit = true;
        for (BucketSplit.Covered c : covered) {
            byte[] upTo = c.upToKey();
            if (upTo == null || compare(key, length, upTo) <= 0) {
                emit = seq > c.seq();
                break;
            }
        }
        prune();
        return emit;
    }

    /** Returns the split as it stands now, for a checkpoint. */
    public BucketSplit toSplit() {
        byte[] after = lastKeyLength >= 0 ? Arrays.copyOf(lastKey, lastKeyLength) : null;
        return new BucketSplit(bucket, phase, snapshotSeq, after, nextSeq, covered);
    }

    /** Drops the covered entries once the tail is past all of them: from there on every record is emitted. */
    private void prune() {
        if (!covered.isEmpty() && nextSeq > covered.get(covered.size() - 1).seq()) {
            covered.clear();
        }
    }

    private static int compare(DirectBuffer key, int length, byte[] other) {
        int n = Math.min(length, other.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(key.getByte(i) & 0xff, other[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(length, other.length);
    }

    private void requirePhase(BucketSplit.Phase expected) {
        if (phase != expected) {
            throw new IllegalStateException("split of bucket " + bucket + " is in phase " + phase + ", not " + expected);
        }
    }
}
