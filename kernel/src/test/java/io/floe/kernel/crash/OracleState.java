package io.floe.kernel.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The parent's half of the expected state: what the table holds after the last verified cycle,
 * every write resolved (each one a child made is now either in the table or known lost). The
 * parent keeps it in memory, updates it from each cycle's {@link ExpectedLog}, and stores it for
 * the next child, which continues from it (op numbers, checkpoint ids) and checks that the table
 * it opens agrees with it.
 *
 * <pre>
 * file "state", replaced atomically (write a temporary file, rename); little-endian:
 *   0   long  MAGIC
 *   8   long  nextOp: the first op number no child has used
 *  16   long  cycles verified
 *  24   per bucket (BUCKETS of them): long verifiedSeq, long digest, long ackedSeq
 *   .   per key (KEYS of them): long value: the op of the key's row, or -1 if the key has none
 *   .   int   CRC32C of everything before it
 * </pre>
 *
 * {@code verifiedSeq}: the changelog records with seq 1 to it were checked and {@code digest} is
 * their digest ({@link #digest}); {@code ackedSeq}: every record up to it was acknowledged by a
 * commit (a committed tailer must reach it).
 *
 * <p>Threads: single owner.
 */
final class OracleState {
    private static final long MAGIC = 0x3154_5358_454F_4C46L; // "FLOEXST1" in little-endian bytes
    private static final int SIZE = 24 + CrashTable.BUCKETS * 24 + CrashTable.KEYS * 8 + 4;

    long nextOp;
    long cycles;
    final long[] verifiedSeq = new long[CrashTable.BUCKETS];
    final long[] digest = new long[CrashTable.BUCKETS];
    final long[] ackedSeq = new long[CrashTable.BUCKETS];
    /** Per key, the op whose row the key holds, or -1. */
    final long[] values = new long[CrashTable.KEYS];

    OracleState() {
        Arrays.fill(values, -1);
    }

    /** Returns the number of keys that hold a row. */
    int presentKeys() {
        int n = 0;
        for (long v : values) {
            n += v >= 0 ? 1 : 0;
        }
        return n;
    }

    /** Returns {@code h} extended by one changelog record: order-sensitive, so a reordered, lost or doubled record changes it. */
    static long digest(long h, long seq, int kind, long key, long v, int rowLength) {
        long x = seq * 0x9E3779B97F4A7C15L ^ (key + 0x632BE59BD9B4E019L) * 0xBF58476D1CE4E5B9L ^ v * 0x94D049BB133111EBL
                ^ ((long) kind << 56) ^ ((long) rowLength << 40);
        x ^= x >>> 31;
        return Long.rotateLeft(h, 17) * 0xD6E8FEB86659FD93L + x;
    }

    /** Stores the state as {@code path}, atomically. */
    void store(Path path) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC).putLong(nextOp).putLong(cycles);
        for (int i = 0; i < CrashTable.BUCKETS; i++) {
            b.putLong(verifiedSeq[i]).putLong(digest[i]).putLong(ackedSeq[i]);
        }
        for (long v : values) {
            b.putLong(v);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try {
            Files.write(tmp, b.array());
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the state stored as {@code path}, or a fresh one (empty table) if there is none. Throws {@link IllegalStateException} if it is damaged. */
    static OracleState load(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new OracleState();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, Math.max(0, bytes.length - 4));
        if (bytes.length != SIZE || b.getLong(0) != MAGIC || b.getInt(SIZE - 4) != (int) crc.getValue()) {
            throw new IllegalStateException(path + " is not a whole expected-state file (" + bytes.length + " bytes)");
        }
        OracleState s = new OracleState();
        b.position(8);
        s.nextOp = b.getLong();
        s.cycles = b.getLong();
        for (int i = 0; i < CrashTable.BUCKETS; i++) {
            s.verifiedSeq[i] = b.getLong();
            s.digest[i] = b.getLong();
            s.ackedSeq[i] = b.getLong();
        }
        for (int k = 0; k < CrashTable.KEYS; k++) {
            s.values[k] = b.getLong();
        }
        return s;
    }
}
