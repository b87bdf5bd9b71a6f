package io.floe.kernel.manifest;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Replays a manifest log ({@link ManifestLayout}): checks the file header and every record, drops
 * a torn tail, and reports any other damage as corruption naming the file and offset.
 *
 * <p>Stateless; safe from any thread. Reads the whole log into the heap (logs are rolled when they
 * grow past the roll size, so they stay small).
 */
final class ManifestLogReader {
    /** What a replay found: the bytes of whole records (header included) and the torn bytes dropped after them. */
    record Result(long validBytes, long tornBytes, int records) {
    }

    private ManifestLogReader() {
    }

    /**
     * Feeds every whole record's edit of the log at {@code path} to {@code sink}, in order.
     * Throws {@link CorruptionException} if the header or a record other than a torn tail is
     * damaged, {@link FloeIOException} if the file cannot be read.
     */
    static Result replay(Path path, Consumer<VersionEdit> sink) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw FloeIOException.of("read manifest log", path, e);
        }
        String file = path.toString();
        checkFileHeader(bytes, file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Checksums.Hasher hasher = new Checksums.Hasher();
        int at = ManifestLayout.FILE_HEADER_BYTES;
        int records = 0;
        while (at < bytes.length) {
            int left = bytes.length - at;
            if (left < ManifestLayout.RECORD_HEADER_BYTES) {
                return new Result(at, left, records);
            }
            int payloadCrc = b.getInt(at);
            int length = b.getInt(at + 4);
            int headerCrc = b.getInt(at + 8);
            if (hasher.hash(bytes, at, 8) != headerCrc) {
                if (allZero(bytes, at, bytes.length)) {
                    return new Result(at, left, records);
                }
                throw new CorruptionException(file, at, "manifest record header checksum mismatch");
            }
            if (length <= 0 || length > ManifestLayout.MAX_PAYLOAD_BYTES) {
                throw new CorruptionException(file, at, "manifest record length " + length + " is outside 1.." + ManifestLayout.MAX_PAYLOAD_BYTES);
            }
            int payloadAt = at + ManifestLayout.RECORD_HEADER_BYTES;
            if ((long) payloadAt + length > bytes.length) {
                return new Result(at, left, records);
            }
            if (hasher.hash(bytes, payloadAt, length) != payloadCrc) {
                if (payloadAt + length == bytes.length && allZero(bytes, payloadAt, bytes.length)) {
                    return new Result(at, left, records);
                }
                throw new CorruptionException(file, at, "manifest record payload checksum mismatch");
            }
            sink.accept(VersionEditCodec.decode(Arrays.copyOfRange(bytes, payloadAt, payloadAt + length), file, payloadAt));
            records++;
            at = payloadAt + length;
        }
        return new Result(at, 0, records);
    }

    private static void checkFileHeader(byte[] bytes, String file) {
        if (bytes.length < ManifestLayout.FILE_HEADER_BYTES) {
            throw new CorruptionException(file, 0, "manifest log of " + bytes.length + " bytes is shorter than its "
                    + ManifestLayout.FILE_HEADER_BYTES + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (Checksums.crc32c(bytes, 0, 12) != b.getInt(12)) {
            throw new CorruptionException(file, 0, "manifest log header checksum mismatch");
        }
        if (!Arrays.equals(bytes, 0, 8, ManifestLayout.MAGIC, 0, 8)) {
            throw new CorruptionException(file, 0, "not a Floe manifest log (bad magic)");
        }
        int version = b.getInt(8);
        if (version != ManifestLayout.VERSION) {
            throw new CorruptionException(file, 8, "manifest format version " + version + " is not supported (this build reads "
                    + ManifestLayout.VERSION + ")");
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
