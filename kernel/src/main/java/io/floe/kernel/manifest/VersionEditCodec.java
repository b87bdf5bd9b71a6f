package io.floe.kernel.manifest;

import static io.floe.kernel.manifest.ManifestLayout.MAX_KEY_BYTES;
import static io.floe.kernel.manifest.ManifestLayout.TAG_ADD_FILE;
import static io.floe.kernel.manifest.ManifestLayout.TAG_COMMITTED_CHECKPOINT;
import static io.floe.kernel.manifest.ManifestLayout.TAG_FLUSHED_SEQ;
import static io.floe.kernel.manifest.ManifestLayout.TAG_NEXT_FILE_NUMBER;
import static io.floe.kernel.manifest.ManifestLayout.TAG_REMOVE_FILE;

import io.floe.common.error.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a {@link VersionEdit} as a record payload and decodes it back ({@link ManifestLayout}).
 * Stateless; safe from any thread.
 */
public final class VersionEditCodec {
    private VersionEditCodec() {
    }

    /** Returns the payload of {@code edit}. */
    public static byte[] encode(VersionEdit edit) {
        int size = 0;
        size += edit.nextFileNumber() >= 0 ? 9 : 0;
        size += 13 * (edit.flushedSeq().size() + edit.committedCheckpoint().size() + edit.removed().size());
        for (FileMeta f : edit.added()) {
            size += 1 + 4 + 6 * 8 + 4 + f.smallestKey().length + 4 + f.largestKey().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        if (edit.nextFileNumber() >= 0) {
            b.put(TAG_NEXT_FILE_NUMBER).putLong(edit.nextFileNumber());
        }
        for (Map.Entry<Integer, Long> e : new TreeMap<>(edit.flushedSeq()).entrySet()) {
            b.put(TAG_FLUSHED_SEQ).putInt(e.getKey()).putLong(e.getValue());
        }
        for (Map.Entry<Integer, Long> e : new TreeMap<>(edit.committedCheckpoint()).entrySet()) {
            b.put(TAG_COMMITTED_CHECKPOINT).putInt(e.getKey()).putLong(e.getValue());
        }
        for (VersionEdit.RemovedFile r : edit.removed()) {
            b.put(TAG_REMOVE_FILE).putInt(r.bucket()).putLong(r.fileNumber());
        }
        for (FileMeta f : edit.added()) {
            b.put(TAG_ADD_FILE).putInt(f.bucket()).putLong(f.runId()).putLong(f.fileNumber()).putLong(f.sizeBytes()).putLong(f.minSeq())
                    .putLong(f.maxSeq()).putLong(f.rowCount());
            b.putInt(f.smallestKey().length).put(f.smallestKey()).putInt(f.largestKey().length).put(f.largestKey());
        }
        if (b.hasRemaining()) {
            throw new IllegalStateException("version edit encoding left " + b.remaining() + " of " + size + " bytes unwritten");
        }
        return b.array();
    }

    /**
     * Returns the edit in {@code payload}.
     * Throws {@link CorruptionException} naming {@code file} and the offset ({@code payloadOffset}
     * plus the position in the payload) if a field is unknown, out of order, truncated or invalid.
     */
    public static VersionEdit decode(byte[] payload, String file, long payloadOffset) {
        Reader r = new Reader(ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN), file, payloadOffset);
        VersionEdit.Builder edit = VersionEdit.builder();
        int lastTag = 0;
        while (r.b.hasRemaining()) {
            int at = r.b.position();
            byte tag = r.b.get();
            if (tag < lastTag || tag < TAG_NEXT_FILE_NUMBER || tag > TAG_ADD_FILE) {
                throw r.corrupt(at, "field tag " + tag + (tag < lastTag && tag >= 1 ? " after tag " + lastTag : " is not a known tag"));
            }
            if (tag == TAG_NEXT_FILE_NUMBER && lastTag == TAG_NEXT_FILE_NUMBER) {
                throw r.corrupt(at, "NEXT_FILE_NUMBER appears twice");
            }
            lastTag = tag;
            switch (tag) {
                case TAG_NEXT_FILE_NUMBER -> edit.nextFileNumber(r.nonNegativeLong("next file number"));
                case TAG_FLUSHED_SEQ -> edit.flushedSeq(r.bucket(), r.nonNegativeLong("flushed seq"));
                case TAG_COMMITTED_CHECKPOINT -> edit.committedCheckpoint(r.bucket(), r.nonNegativeLong("checkpoint id"));
                case TAG_REMOVE_FILE -> edit.remove(r.bucket(), r.nonNegativeLong("file number"));
                default -> edit.add(r.file(at));
            }
        }
        return edit.build();
    }

    /** Bounds-checked little-endian reads that report damage as corruption. Single owner. */
    private static final class Reader {
        final ByteBuffer b;
        final String file;
        final long base;

        Reader(ByteBuffer b, String file, long base) {
            this.b = b;
            this.file = file;
            this.base = base;
        }

        CorruptionException corrupt(int at, String what) {
            return new CorruptionException(file, base + at, "manifest edit: " + what);
        }

        void need(int bytes, String what) {
            if (b.remaining() < bytes) {
                throw corrupt(b.position(), what + " needs " + bytes + " bytes but the record has " + b.remaining() + " left");
            }
        }

        int bucket() {
            need(4, "bucket");
            int at = b.position();
            int v = b.getInt();
            if (v < 0) {
                throw corrupt(at, "bucket " + v + " is negative");
            }
            return v;
        }

        long nonNegativeLong(String what) {
            need(8, what);
            int at = b.position();
            long v = b.getLong();
            if (v < 0) {
                throw corrupt(at, what + " " + v + " is negative");
            }
            return v;
        }

        byte[] key(String what) {
            need(4, what + " length");
            int at = b.position();
            int n = b.getInt();
            if (n < 0 || n > MAX_KEY_BYTES) {
                throw corrupt(at, what + " length " + n + " is outside 0.." + MAX_KEY_BYTES);
            }
            need(n, what);
            byte[] key = new byte[n];
            b.get(key);
            return key;
        }

        FileMeta file(int at) {
            int bucket = bucket();
            long runId = nonNegativeLong("run id");
            long number = nonNegativeLong("file number");
            long size = nonNegativeLong("file size");
            long minSeq = nonNegativeLong("min seq");
            long maxSeq = nonNegativeLong("max seq");
            long rows = nonNegativeLong("row count");
            byte[] smallest = key("smallest key");
            byte[] largest = key("largest key");
            try {
                return new FileMeta(bucket, runId, number, size, smallest, largest, minSeq, maxSeq, rows);
            } catch (IllegalArgumentException e) {
                throw corrupt(at, e.getMessage());
            }
        }
    }
}
