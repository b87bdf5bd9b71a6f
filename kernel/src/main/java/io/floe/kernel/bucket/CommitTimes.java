package io.floe.kernel.bucket;

import static io.floe.kernel.bucket.CommitTimesLayout.CRC_COVERED;
import static io.floe.kernel.bucket.CommitTimesLayout.CRC_OFFSET;
import static io.floe.kernel.bucket.CommitTimesLayout.ENTRY;
import static io.floe.kernel.bucket.CommitTimesLayout.MILLIS_OFFSET;
import static io.floe.kernel.bucket.CommitTimesLayout.SEQ_OFFSET;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * When each commit of a bucket happened: a log of (commit millis, committed seq) entries
 * ({@link CommitTimesLayout}) that maps a point in time to the first seq committed at or after it,
 * for readers that start "from a timestamp". The resolution is the commit: a change is dated by the
 * commit that published it.
 *
 * <p>Durability: a hint, written with each commit but not fsynced. A crash of the machine may lose
 * the newest entries; a timestamp after the last surviving one then starts at the seq that entry
 * published, so a reader gets more changes (older ones), never fewer. Size: 24 bytes per commit,
 * kept only while the changes they date are in the changelog ({@link #trimBelow}).
 *
 * <p>Threads: {@link #record} and {@link #firstSeqCommittedFrom} are safe from any thread (both hold
 * this object's monitor; a lookup is a binary search with O(log n) positional reads).
 */
final class CommitTimes implements AutoCloseable {
    /** A trim rewrites the log only when it drops at least this many entries (and half of them). */
    static final long MIN_TRIM_ENTRIES = 4096;

    private final Path file;
    /** Guarded by this; replaced by a {@link #trimBelow trim}. */
    private FileChannel channel;
    private final ByteBuffer entry = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
    /** Guarded by this. */
    private long entries;
    /** Guarded by this: the last entry's fields, or -1. */
    private long lastMillis = -1;
    private long lastSeq = -1;

    private CommitTimes(Path file, FileChannel channel, long entries) {
        this.file = file;
        this.channel = channel;
        this.entries = entries;
    }

    /**
     * Opens (creating if missing) the log {@code file}, cutting a torn tail back to the last whole,
     * valid entry. Throws {@link FloeIOException} if the file cannot be opened, read or cut.
     */
    static CommitTimes open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw FloeIOException.of("open commit-time log", file, e);
        }
        try {
            long whole = channel.size() / ENTRY;
            CommitTimes log = new CommitTimes(file, channel, whole);
            synchronized (log) {
                while (log.entries > 0 && !log.readValid(log.entries - 1)) {
                    log.entries--;
                }
                if (channel.size() != log.entries * ENTRY) {
                    channel.truncate(log.entries * ENTRY);
                }
                if (log.entries > 0) {
                    log.readValid(log.entries - 1);
                    log.lastMillis = log.entry.getLong(MILLIS_OFFSET);
                    log.lastSeq = log.entry.getLong(SEQ_OFFSET);
                }
            }
            return log;
        } catch (IOException e) {
            closeQuietly(channel);
            throw FloeIOException.of("read commit-time log", file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Records that a commit at {@code millis} published up to {@code seq}; does nothing unless
     * {@code seq} is positive and above the last recorded seq. A clock that went backwards is clamped to the last
     * recorded time, so times never decrease. Throws {@link FloeIOException} if the append fails.
     */
    synchronized void record(long millis, long seq) {
        if (seq <= lastSeq || seq <= 0) {
            return; // nothing new published (seqs start at 1)
        }
        long at = Math.max(millis, lastMillis);
        entry.clear();
        entry.putLong(MILLIS_OFFSET, at).putLong(SEQ_OFFSET, seq).putInt(CRC_OFFSET + 4, 0);
        entry.putInt(CRC_OFFSET, Checksums.crc32c(entry.array(), 0, CRC_COVERED));
        try {
            long position = entries * ENTRY;
            while (entry.hasRemaining()) {
                position += channel.write(entry, position);
            }
        } catch (IOException e) {
            throw FloeIOException.of("append to commit-time log", file, e);
        }
        entries++;
        lastMillis = at;
        lastSeq = seq;
    }

    /**
     * Returns the first seq of the changes committed at or after {@code millis}: one above the seq
     * the last commit before {@code millis} published, or 0 if no recorded commit is before it
     * (every change, as far as this log knows). Throws {@link CorruptionException} naming the file
     * and offset if an entry the search reads fails its CRC, {@link FloeIOException} on a read error.
     */
    synchronized long firstSeqCommittedFrom(long millis) {
        long at = firstEntryAtLeast(MILLIS_OFFSET, millis);
        return at == 0 ? 0 : entryAt(at - 1, SEQ_OFFSET) + 1;
    }

    /**
     * Returns the index of the first entry whose {@code field} (both fields only grow) is at least
     * {@code value}, or {@link #entries} if none is. Requires: holding this.
     */
    private long firstEntryAtLeast(int field, long value) {
        long lo = 0;
        long hi = entries; // invariant: entries [0, lo) are below value, [hi, entries) at or above it
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (entryAt(mid, field) < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Drops the entries that date only released changes: those whose commit published a seq below
     * {@code releasedSeq} (every seq up to which is gone from the changelog), so that the log does
     * not grow without end. A lookup they answered answered a released seq; it now answers 0 or the
     * first retained entry's answer, released too, so a reader that tails from it is refused the same
     * way. Rewrites the log only if that drops at least {@value #MIN_TRIM_ENTRIES} entries and half
     * of the log: through {@code <file>.tmp}, renamed over the log (a crash leaves the old log or the
     * new one). Returns the entries dropped. Throws {@link FloeIOException} if the rewrite fails; the
     * log is then unchanged.
     */
    synchronized long trimBelow(long releasedSeq) {
        long drop = firstEntryAtLeast(SEQ_OFFSET, releasedSeq);
        if (drop < MIN_TRIM_ENTRIES || drop * 2 < entries) {
            return 0;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        FileChannel replacement = null;
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                long position = drop * ENTRY;
                long end = entries * ENTRY;
                while (position < end) {
                    position += channel.transferTo(position, end - position, out);
                }
                out.force(true);
            }
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            replacement = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            try {
                java.nio.file.Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // A stray temporary file is overwritten by the next trim.
            }
            throw FloeIOException.of("trim commit-time log", file, e);
        }
        closeQuietly(channel);
        channel = replacement;
        entries -= drop;
        return drop;
    }

    /** Returns the long at {@code field} of entry {@code i}. Requires: holding this. */
    private long entryAt(long i, int field) {
        try {
            if (!readValid(i)) {
                throw new CorruptionException(file.toString(), i * ENTRY, "commit-time entry " + i + " fails its CRC32C");
            }
        } catch (IOException e) {
            throw FloeIOException.of("read commit-time log", file, e);
        }
        return entry.getLong(field);
    }

    /** Reads entry {@code i} into {@code entry}; returns iff it is whole and its CRC matches. Requires: holding this. */
    private boolean readValid(long i) throws IOException {
        entry.clear();
        long position = i * ENTRY;
        while (entry.hasRemaining()) {
            int n = channel.read(entry, position);
            if (n < 0) {
                return false;
            }
            position += n;
        }
        return entry.getInt(CRC_OFFSET) == Checksums.crc32c(entry.array(), 0, CRC_COVERED);
    }

    /** Returns the number of entries. */
    synchronized long entries() {
        return entries;
    }

    @Override
    public synchronized void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // A log opened for appends that are hints: nothing to recover on close.
        }
    }
}
