package io.floe.kernel.manifest;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends version edits to a new manifest log ({@link ManifestLayout}); every append is fsynced
 * before it returns.
 *
 * <p>Threads: single owner (the {@link VersionSet} holds it under its log lock).
 */
final class ManifestLogWriter implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final Checksums.Hasher hasher = new Checksums.Hasher();
    private long size;

    private ManifestLogWriter(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Creates the log at {@code path} with its file header, fsynced.
     * Throws {@link FloeIOException} if the file exists or cannot be written.
     */
    static ManifestLogWriter create(Path path) {
        FileChannel channel = null;
        try {
            FaultPoints.io(FaultPoint.MANIFEST_CREATE, path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FaultPoints.created(path);
            ByteBuffer header = ByteBuffer.allocate(ManifestLayout.FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            header.put(ManifestLayout.MAGIC).putInt(ManifestLayout.VERSION);
            header.putInt(Checksums.crc32c(header.array(), 0, 12));
            header.flip();
            writeFully(channel, header);
            channel.force(true);
            FaultPoints.synced(path);
            return new ManifestLogWriter(path, channel, ManifestLayout.FILE_HEADER_BYTES);
        } catch (IOException e) {
            closeQuietly(channel);
            throw FloeIOException.of("create manifest log", path, e);
        }
    }

    /**
     * Appends {@code edit} as one record and fsyncs.
     * Throws {@link FloeIOException} if the write or the sync fails (the log's tail is then unknown;
     * the caller must not append to it again).
     */
    void append(VersionEdit edit) {
        ByteBuffer record = ByteBuffer.wrap(record(edit, hasher));
        try {
            FaultPoints.io(FaultPoint.MANIFEST_APPEND, path);
            writeFully(channel, record);
            FaultPoints.io(FaultPoint.MANIFEST_FSYNC, path);
            channel.force(false);
            FaultPoints.synced(path);
        } catch (IOException e) {
            throw FloeIOException.of("append to manifest log", path, e);
        }
        size += record.capacity();
    }

    /**
     * Returns the whole record (header and payload) of {@code edit}.
     * Throws {@link IllegalArgumentException} if the payload is empty or too large.
     */
    static byte[] record(VersionEdit edit, Checksums.Hasher hasher) {
        byte[] payload = VersionEditCodec.encode(edit);
        if (payload.length == 0 || payload.length > ManifestLayout.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a version edit of " + payload.length + " bytes is empty or larger than "
                    + ManifestLayout.MAX_PAYLOAD_BYTES);
        }
        ByteBuffer record = ByteBuffer.allocate(ManifestLayout.RECORD_HEADER_BYTES + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(hasher.hash(payload, 0, payload.length)).putInt(payload.length);
        record.putInt(hasher.hash(record.array(), 0, 8));
        record.put(payload);
        return record.array();
    }

    /** Returns the bytes written so far, header included. */
    long size() {
        return size;
    }

    Path path() {
        return path;
    }

    private static void writeFully(FileChannel channel, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one reported
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw FloeIOException.of("close manifest log", path, e);
        }
    }
}
