package io.floe.flink.source;

import java.util.Arrays;
import java.util.HexFormat;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One bucket of a Floe table as a Flink source split, with where its reader stands, so that a
 * restored job resumes exactly there:
 * <ul>
 *   <li>{@link Phase#SNAPSHOT}: reading the consistent snapshot at {@code snapshotSeq}, key order;
 *       {@code afterKey} is the last key emitted (null before the first);</li>
 *   <li>{@link Phase#TAIL}: reading the bucket's changelog; {@code nextSeq} is the next seq to emit.</li>
 * </ul>
 * A bounded (batch) read ends after its snapshot. Immutable.
 */
public record BucketSplit(int bucket, Phase phase, long snapshotSeq, byte[] afterKey, long nextSeq) implements SourceSplit {
    public enum Phase { SNAPSHOT, TAIL }

    public BucketSplit {
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket must be >= 0, got " + bucket);
        }
        afterKey = afterKey == null ? null : afterKey.clone();
    }

    /** Returns a split that reads the snapshot at {@code snapshotSeq} from its first key, then tails from after it. */
    public static BucketSplit snapshot(int bucket, long snapshotSeq) {
        return new BucketSplit(bucket, Phase.SNAPSHOT, snapshotSeq, null, snapshotSeq + 1);
    }

    /** Returns a split that tails the changelog from {@code nextSeq}. */
    public static BucketSplit tail(int bucket, long nextSeq) {
        return new BucketSplit(bucket, Phase.TAIL, -1, null, nextSeq);
    }

    /** Returns this split with the snapshot read up to and including {@code key}. */
    public BucketSplit afterKey(byte[] key) {
        return new BucketSplit(bucket, Phase.SNAPSHOT, snapshotSeq, key, nextSeq);
    }

    /** Returns this split with its snapshot done, tailing from the seq after the snapshot. */
    public BucketSplit snapshotDone() {
        return new BucketSplit(bucket, Phase.TAIL, snapshotSeq, null, snapshotSeq + 1);
    }

    /** Returns this split tailing from {@code next}. */
    public BucketSplit nextSeq(long next) {
        return new BucketSplit(bucket, Phase.TAIL, snapshotSeq, null, next);
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
                && Arrays.equals(s.afterKey, afterKey) && s.nextSeq == nextSeq;
    }

    @Override
    public int hashCode() {
        return ((bucket * 31 + phase.hashCode()) * 31 + Long.hashCode(snapshotSeq)) * 31 + Long.hashCode(nextSeq);
    }

    @Override
    public String toString() {
        return "BucketSplit{bucket " + bucket + ", " + phase + (phase == Phase.SNAPSHOT ? " at seq " + snapshotSeq
                + (afterKey == null ? "" : " after key " + HexFormat.of().formatHex(afterKey)) : " from seq " + nextSeq) + "}";
    }
}
