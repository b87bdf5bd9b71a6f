package io.floe.changelog;

import io.floe.common.RowKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** Records as plain values for models, and helpers to append and read them. */
final class TestRecords {
    private TestRecords() {
    }

    record Rec(long seq, RowKind kind, byte[] key, byte[] row) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r && r.seq == seq && r.kind == kind && Arrays.equals(r.key, key) && Arrays.equals(r.row, row);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return "Rec{" + seq + " " + kind.shortString() + " key=" + key.length + "B row=" + row.length + "B}";
        }
    }

    static Rec random(SplittableRandom random, long seq, int maxRow) {
        byte[] key = new byte[1 + random.nextInt(32)];
        byte[] row = new byte[random.nextInt(maxRow + 1)];
        random.nextBytes(key);
        random.nextBytes(row);
        return new Rec(seq, RowKind.values()[random.nextInt(4)], key, row);
    }

    /** Wraps {@code bytes} at a random offset in a heap or direct buffer. */
    static DirectBuffer wrap(SplittableRandom random, byte[] bytes, int[] offsetOut) {
        int offset = random.nextInt(4);
        UnsafeBuffer buffer = random.nextBoolean()
                ? new UnsafeBuffer(new byte[offset + bytes.length + 3])
                : new UnsafeBuffer(ByteBuffer.allocateDirect(offset + bytes.length + 3));
        buffer.putBytes(offset, bytes);
        offsetOut[0] = offset;
        return buffer;
    }

    static void append(ChangelogWriter writer, SplittableRandom random, Rec rec) {
        int[] ko = new int[1];
        int[] ro = new int[1];
        DirectBuffer key = wrap(random, rec.key, ko);
        DirectBuffer row = wrap(random, rec.row, ro);
        writer.append(rec.seq, rec.kind, key, ko[0], rec.key.length, row, ro[0], rec.row.length);
    }

    static void appendBatch(ChangelogWriter writer, SplittableRandom random, List<Rec> recs) {
        ChangelogBatch batch = new ChangelogBatch(1 + random.nextInt(4));
        for (Rec rec : recs) {
            int[] ko = new int[1];
            int[] ro = new int[1];
            DirectBuffer key = wrap(random, rec.key, ko);
            DirectBuffer row = wrap(random, rec.row, ro);
            batch.add(rec.seq, rec.kind, key, ko[0], rec.key.length, row, ro[0], rec.row.length);
        }
        writer.appendBatch(batch);
        batch.clear();
    }

    static Rec copy(ChangelogRecord record) {
        byte[] key = new byte[record.keyLength()];
        byte[] row = new byte[record.rowLength()];
        record.key().getBytes(0, key);
        record.row().getBytes(0, row);
        return new Rec(record.seq(), record.kind(), key, row);
    }

    /** Polls until nothing is available. */
    static List<Rec> drain(ChangelogTailer tailer) {
        List<Rec> out = new ArrayList<>();
        ChangelogRecord record;
        while ((record = tailer.poll()) != null) {
            out.add(copy(record));
        }
        return out;
    }

    static ChangelogOptions smallOptions(java.nio.file.Path dir) {
        return ChangelogOptions.defaults(dir).withMaxRecordBytes(64 << 10).withBlockSizeBytes(256 << 10);
    }
}
