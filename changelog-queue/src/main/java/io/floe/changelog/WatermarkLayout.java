package io.floe.changelog;

/**
 * The byte layout of the {@value #FILE_NAME} file next to the queue files: the committed
 * watermark, the last checkpoint id and the release point, readable by every process on the host
 * through a shared memory mapping. All integers are little-endian. Drawn again in
 * {@code docs/formats/changelog.md}.
 *
 * <pre>
 * offset  size  field
 *      0     8  magic              "FLOEWMK1" as bytes (little-endian long {@value #MAGIC})
 *      8     4  version            {@value #VERSION}
 *     12     4  reserved           0
 *     16     8  liveCommittedSeq   published with a release store after a slot is written;
 *                                  read with an acquire load by read-committed tailers
 *     24     8  liveCheckpointId   last committed checkpoint id (informational, may lag the seq)
 *     32     8  liveReleasedSeq    highest seq in a released (deleted) queue file, or -1
 *     40    24  reserved           0
 *     64    64  slot 0
 *    128    64  slot 1
 *    192        end of file
 *
 * slot (64 bytes), the durable truth; a commit writes slot (generation &amp; 1):
 *      0     8  generation         increases by one per write; 0 = never written
 *      8     8  checkpointId       last committed checkpoint id, or -1
 *     16     8  committedSeq       highest committed seq, or -1
 *     24     8  committedIndex     Chronicle index of the record holding committedSeq, or -1
 *     32     8  releasedSeq        highest seq in a released queue file, or -1
 *     40    20  reserved           0
 *     60     4  crc                CRC32C of slot bytes [0, 60)
 * </pre>
 *
 * <p>On open the valid slot (CRC matches, generation &gt; 0) with the higher generation wins; the
 * live fields are rewritten from it. Both slots all zero means nothing was ever committed.
 */
public final class WatermarkLayout {
    private WatermarkLayout() {
    }

    public static final String FILE_NAME = "floe-watermark";
    /** "FLOEWMK1" read as a little-endian long. */
    public static final long MAGIC = 0x314B4D57454F4C46L;
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int LIVE_COMMITTED_SEQ_OFFSET = 16;
    public static final int LIVE_CHECKPOINT_ID_OFFSET = 24;
    public static final int LIVE_RELEASED_SEQ_OFFSET = 32;
    public static final int SLOT_0_OFFSET = 64;
    public static final int SLOT_LENGTH = 64;
    public static final int FILE_LENGTH = SLOT_0_OFFSET + 2 * SLOT_LENGTH;

    public static final int SLOT_GENERATION = 0;
    public static final int SLOT_CHECKPOINT_ID = 8;
    public static final int SLOT_COMMITTED_SEQ = 16;
    public static final int SLOT_COMMITTED_INDEX = 24;
    public static final int SLOT_RELEASED_SEQ = 32;
    public static final int SLOT_CRC = 60;

    /** Returns the file offset of the slot a write of {@code generation} goes to. */
    public static int slotOffset(long generation) {
        return SLOT_0_OFFSET + (int) (generation & 1) * SLOT_LENGTH;
    }
}
