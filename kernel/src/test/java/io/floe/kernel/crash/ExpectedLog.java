package io.floe.kernel.crash;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The child's half of the expected state: an append-only log of what it is about to write
 * (<i>pending</i>) and what a commit acknowledged (<i>done</i>), in a memory-mapped file that
 * survives the child's SIGKILL (the stores are in the page cache as soon as they are made; the test
 * never simulates a machine crash). One log per cycle: the parent folds it into the
 * {@link OracleState} and deletes it before the next child starts.
 *
 * <pre>
 * file: CAPACITY bytes, zero-filled at creation; records of 32 bytes from offset 0, in order
 * record:
 *   0  int   CRC32C of bytes [4, 32), little-endian; stored last, with release order
 *   4  byte  type: 1 = PENDING_UPSERT, 2 = PENDING_DELETE, 3 = DONE
 *   5  byte  bucket
 *   6  short 0
 *   8  long  PENDING: the write's op number; DONE: every write of the bucket with op &lt;= this is acknowledged
 *  16  long  PENDING: the key; DONE: the checkpoint id of the commit
 *  24  long  0
 * </pre>
 *
 * A kill can tear only the record being appended: its CRC is stored after its body, so a torn
 * record has a CRC that does not match (0). The log ends at the first record whose type is 0 or
 * whose CRC does not match; every byte after that record must be 0 (else the log is damaged).
 *
 * <p>Threads: the writer is single-owner (the child's writing thread).
 */
final class ExpectedLog implements AutoCloseable {
    static final int RECORD = 32;
    static final int CAPACITY = 8 << 20;
    static final byte PENDING_UPSERT = 1;
    static final byte PENDING_DELETE = 2;
    static final byte DONE = 3;

    private final RandomAccessFile file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer log;
    private final byte[] body = new byte[RECORD];
    private final UnsafeBuffer bodyBuffer = new UnsafeBuffer(body);
    private final CRC32C crc = new CRC32C();
    private int position;

    private ExpectedLog(RandomAccessFile file, MappedByteBuffer mapped) {
        this.file = file;
        this.mapped = mapped;
        this.log = new UnsafeBuffer(mapped);
    }

    /** Creates the log {@code path} (which must not exist) and maps it. */
    static ExpectedLog create(Path path) throws IOException {
        if (Files.exists(path)) {
            throw new IllegalStateException(path + " exists: the parent did not fold the previous cycle's log");
        }
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(CAPACITY);
        return new ExpectedLog(file, file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, CAPACITY));
    }

    /** Returns iff another record fits. */
    boolean hasRoom() {
        return position + RECORD <= CAPACITY;
    }

    /** Records that write {@code op} to {@code key} in {@code bucket} is about to be made. Requires: {@link #hasRoom()}. */
    void pending(long op, int bucket, long key, boolean delete) {
        append(delete ? PENDING_DELETE : PENDING_UPSERT, bucket, op, key);
    }

    /** Records that a commit of {@code bucket} under {@code checkpointId} returned after write {@code upToOp}. Requires: {@link #hasRoom()}. */
    void done(int bucket, long upToOp, long checkpointId) {
        append(DONE, bucket, upToOp, checkpointId);
    }

    private void append(byte type, int bucket, long a, long b) {
        Arrays.fill(body, (byte) 0);
        bodyBuffer.putByte(4, type);
        bodyBuffer.putByte(5, (byte) bucket);
        bodyBuffer.putLong(8, a, ByteOrder.LITTLE_ENDIAN);
        bodyBuffer.putLong(16, b, ByteOrder.LITTLE_ENDIAN);
        crc.reset();
        crc.update(body, 4, RECORD - 4);
        log.putBytes(position + 4, body, 4, RECORD - 4);
        // Release: the body is stored before the CRC that declares the record whole. (A kill stops
        // the process between two instructions; stores already made are in the shared page.)
        // putIntRelease stores in native order; the layout is little-endian.
        int value = (int) crc.getValue();
        log.putIntRelease(position, ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? value : Integer.reverseBytes(value));
        position += RECORD;
    }

    @Override
    public void close() throws IOException {
        mapped.force();
        file.close();
    }

    /** One record read back. {@code b} is the key of a pending record, the checkpoint id of a done record. */
    record Entry(byte type, int bucket, long op, long b) {
        boolean isPending() {
            return type == PENDING_UPSERT || type == PENDING_DELETE;
        }
    }

    /**
     * Returns the records of the log {@code path} up to its end (empty if the file does not exist
     * or is empty: the child died before it made the log). Throws {@link AssertionError} if bytes
     * after the end are not 0 (a record was lost in the middle, not torn at the tail).
     */
    static List<Entry> read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        UnsafeBuffer in = new UnsafeBuffer(bytes);
        CRC32C check = new CRC32C();
        List<Entry> out = new ArrayList<>();
        int at = 0;
        for (; at + RECORD <= bytes.length; at += RECORD) {
            byte type = in.getByte(at + 4);
            check.reset();
            check.update(bytes, at + 4, RECORD - 4);
            if (type == 0 || in.getInt(at, ByteOrder.LITTLE_ENDIAN) != (int) check.getValue()) {
                break;
            }
            if (type < PENDING_UPSERT || type > DONE) {
                throw new AssertionError(path + " offset " + at + ": record type " + type + " with a valid CRC");
            }
            out.add(new Entry(type, in.getByte(at + 5), in.getLong(at + 8, ByteOrder.LITTLE_ENDIAN), in.getLong(at + 16, ByteOrder.LITTLE_ENDIAN)));
        }
        for (int i = at + RECORD; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                throw new AssertionError(path + " offset " + i + ": non-zero byte after the end of the log at offset " + at
                        + " (a record was lost before the tail)");
            }
        }
        return out;
    }
}
