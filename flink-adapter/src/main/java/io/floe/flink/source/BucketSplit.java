package io.floe.flink.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One bucket of a Floe table as a Flink source split, with where its reader stands, so that a
 * restored job resumes exactly there:
 * <ul>
 *   <li>{@link Phase#SNAPSHOT}: reading the consistent snapshot at {@code snapshotSeq} (-1: not taken
 *       yet), key order; {@code afterKey} is the last key emitted from it (null before the first);</li>
 *   <li>{@link Phase#TAIL}: reading the bucket's changelog; {@code nextSeq} is the next seq to read
 *       ({@link #LATEST}: the end of the changelog when a reader is given the split, resolved
 *       then, before any checkpoint can hold the split;
 *       {@link #FROM_TIMESTAMP}: the first change committed at or after 'scan.from-timestamp').</li>
 * </ul>
 * {@code covered} lists what earlier snapshot scans of this split already emitted, when a restart
 * interrupted them (a snapshot cannot be re-opened after a restart, so the scan continues on a newer
 * snapshot): the keys up to and including {@code upToKey} (and above the previous entry's) were
 * emitted as of seq {@code seq}; a changelog record of such a key is emitted only if its seq is
 * above that. Keys and seqs increase along the list; in the tail phase its last entry covers every
 * key ({@code upToKey} null). See {@link SplitProgress}. A bounded (batch) read ends after its
 * snapshot. Immutable.
 */
public record BucketSplit(int bucket, Phase phase, long snapshotSeq, byte[] afterKey, long nextSeq, List<Covered> covered)
        implements SourceSplit {
    public enum Phase { SNAPSHOT, TAIL }

    /** {@code nextSeq} of a tail split that starts at the changelog's end when first opened. */
    public static final long LATEST = -1;

    /**
     * {@code nextSeq} of a tail split that starts at the first change committed at or after
     * 'scan.from-timestamp', resolved by the reader that first opens it (the store is local to the
     * TaskManagers).
     */
    public static final long FROM_TIMESTAMP = -2;

    /**
     * Keys up to and including {@code upToKey} (null: every key) were emitted as of snapshot seq {@code seq}.
     * Immutable.
     */
    public record Covered(byte[] upToKey, long seq) {
        public Covered {
            upToKey = upToKey == null ? null : upToKey.clone();
        }

        @Override
        public byte[] upToKey() {
            return upToKey == null ? null : upToKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Covered c && c.seq == seq && Arrays.equals(c.upToKey, upToKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(upToKey) * 31 + Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return (upToKey == null ? "all keys" : "keys <= " + HexFormat.of().formatHex(upToKey)) + " at seq " + seq;
        }
    }

    public BucketSplit {
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket must be >= 0, got " + bucket);
        }
        afterKey = afterKey == null ? null : afterKey.clone();
        covered = covered == null ? List.of() : List.copyOf(covered);
    }

    public BucketSplit(int bucket, Phase phase, long snapshotSeq, byte[] afterKey, long nextSeq) {
        this(bucket, phase, snapshotSeq, afterKey, nextSeq, List.of());
    }

    /** Returns a split that reads a snapshot taken when its reader opens it, then tails from after it. */
    public static BucketSplit unstarted(int bucket) {
        return new BucketSplit(bucket, Phase.SNAPSHOT, -1, null, 0);
    }

    /** Returns a split that reads the snapshot at {@code snapshotSeq} from its first key, then tails from after it. */
    public static BucketSplit snapshot(int bucket, long snapshotSeq) {
        return new BucketSplit(bucket, Phase.SNAPSHOT, snapshotSeq, null, snapshotSeq + 1);
    }

    /** Returns a split that tails the changelog from {@code nextSeq} ({@link #LATEST}: from its end). */
    public static BucketSplit tail(int bucket, long nextSeq) {
        return new BucketSplit(bucket, Phase.TAIL, -1, null, nextSeq);
    }

    /** Returns this split with the snapshot read up to and including {@code key}. */
    public BucketSplit afterKey(byte[] key) {
        return new BucketSplit(bucket, Phase.SNAPSHOT, snapshotSeq, key, nextSeq, covered);
    }

    /** Returns this split with its snapshot done, tailing from the seq after the snapshot (no earlier scans). */
    public BucketSplit snapshotDone() {
        return new BucketSplit(bucket, Phase.TAIL, snapshotSeq, null, snapshotSeq + 1, covered);
    }

    /** Returns this split tailing from {@code next}. */
    public BucketSplit nextSeq(long next) {
        return new BucketSplit(bucket, Phase.TAIL, snapshotSeq, null, next, covered);
    }

    @Override
    public byte[] afterKey() {
        return afterKey == null ? null : afterKey.clone();
    }

    @Override
    public String splitId() {
        return "bucket-" + bucket;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketSplit s && s.bucket == bucket && s.phase == phase && s.snapshotSeq == snapshotSeq
                && Arrays.equals(s.afterKey, afterKey) && s.nextSeq == nextSeq && s.covered.equals(covered);
    }

    @Override
    public int hashCode() {
        return (((bucket * 31 + phase.hashCode()) * 31 + Long.hashCode(snapshotSeq)) * 31 + Long.hashCode(nextSeq)) * 31 + covered.hashCode();
    }

    @Override
    public String toString() {
        return "BucketSplit{bucket " + bucket + ", " + phase + (phase == Phase.SNAPSHOT ? " at seq " + snapshotSeq
                + (afterKey == null ? "" : " after key " + HexFormat.of().formatHex(afterKey)) : " from seq " + nextSeq)
                + (covered.isEmpty() ? "" : ", covered " + new ArrayList<>(covered)) + "}";
    }
}
