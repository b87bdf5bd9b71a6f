package io.floe.jmh.kernel;

import io.floe.changelog.SyncMode;
import io.floe.kernel.BucketRouting;
import io.floe.kernel.BucketWriter;
import io.floe.kernel.Floe;
import io.floe.kernel.Lookup;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import io.floe.kernel.options.CompactionOptions;
import io.floe.kernel.options.CompressionOptions;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.WriteBufferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * One engine of the kernel benchmarks, configured alike ({@link KernelPeerConfig}): the same codec
 * for every file (LZ4 by default), one background job, the same write buffer (64 MiB by default), a
 * write-ahead log on every write and no sync (Floe: changelog append with {@link SyncMode#NONE};
 * RocksDB: WAL on, {@code sync = false}; Paimon has no write-ahead log: {@link PaimonPeer}). With
 * {@code autoCompaction} false none compacts on its own, so a test can build sorted runs.
 *
 * <p>Threads: writes through {@link #put} from one thread at a time, or through the {@link Writer}s
 * ({@link #writer}), each from one thread at a time and all at once; flushes, compactions and scans
 * from one thread at a time with no write under way; point lookups through one {@link Reader} per
 * thread.
 */
abstract class KernelPeer implements AutoCloseable {
    final Path dir;
    /** The number of writers, {@link KernelPeerConfig#writers()}. */
    final int writers;

    KernelPeer(Path dir, KernelPeerConfig config) {
        this.dir = dir;
        this.writers = config.writers();
    }

    /** Returns the engine {@code name} (floe, rocksdb or paimon) in a new temporary directory. */
    static KernelPeer create(String name, KernelPeerConfig config) {
        try {
            Path dir = Files.createTempDirectory("floe-kernel-bench-" + name);
            return switch (name) {
                case "floe" -> new FloePeer(dir, config);
                case "rocksdb" -> new RocksPeer(dir, config);
                case "paimon" -> new PaimonPeer(dir, config);
                default -> throw new IllegalArgumentException("unknown peer " + name);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Readies the engine for rows of {@code data} outside the measurement (a peer that stores rows in its own format encodes them here). */
    void prepare(KernelBenchData data) {
    }

    /**
     * Writes row {@code i} of {@code data} through the writer of its slice. Requires: no other write
     * under way (one thread writes; for several, use {@link #writer}).
     */
    void put(KernelBenchData data, int i) {
        prepare(data);
        writer(writers == 1 ? 0 : writerOf(data, i)).put(data, i);
    }

    /**
     * Returns writer {@code w} ({@code 0 <= w < writers}), which writes only rows of its slice of the
     * keys ({@link #writerOf}). Each writer is used by one thread at a time; different writers may
     * write at once (a Flink sink's subtasks, each owning a bucket). Throws
     * {@link IndexOutOfBoundsException} if there is no such writer.
     */
    abstract Writer writer(int w);

    /**
     * Returns the writer whose slice holds key {@code i} of {@code data}: the engine's bucket of the
     * key where it has buckets (Floe, Paimon), else Floe's bucket rule ({@link BucketRouting}); so one
     * key is always written by one writer, in the order of its rows.
     */
    int writerOf(KernelBenchData data, int i) {
        return BucketRouting.bucketOf(data.keyView, i * KernelBenchData.KEY_BYTES, KernelBenchData.KEY_BYTES, writers);
    }

    /** The writes of one thread. */
    interface Writer {
        /**
         * Writes row {@code i} of {@code data}. Requires: the row is in this writer's slice, and
         * {@link #prepare} was called with {@code data} before the writing threads started.
         */
        void put(KernelBenchData data, int i);
    }

    /** Makes everything written so far an immutable sorted run on disk. */
    abstract void flush();

    /** Merges every sorted run into one. */
    abstract void compactAll();

    /** Reads every live row in key order; returns a value that depends on every row. */
    abstract long scanAll();

    /**
     * Reads column {@code name} of every live row in key order (a projected scan); returns the
     * number of rows where it is not null (Floe, Paimon). An engine without projection (RocksDB)
     * reads whole rows and returns what {@link #scanAll()} does.
     */
    abstract long scanColumn(String name);

    /**
     * Returns a new point-lookup handle for one thread: several threads may each use their own at
     * once (JMH's {@code -t}). Requires: no write, flush or compaction while readers are used.
     * Close it before the engine.
     */
    abstract Reader newReader();

    /** Point lookups of one thread. */
    interface Reader extends AutoCloseable {
        /** Returns iff key {@code i} of {@code data} has a row (and touches it). */
        boolean get(KernelBenchData data, int i);

        @Override
        void close();
    }

    /** Closes the engine and deletes its directory. */
    @Override
    public abstract void close();

    /** Returns the bytes of the files under the directory. */
    long diskBytes() {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class FloePeer extends KernelPeer {
        private final Floe floe;
        private final Table table;
        /** The writer of bucket b is writer b; each is handed to its writing thread before that thread starts. */
        private final BucketWriter[] bucketWriters;
        private final Writer[] handles;
        private long checkpoint;

        /** A table of {@code writers} buckets (one background thread for all of them) and a writer for each bucket. */
        FloePeer(Path dir, KernelPeerConfig config) {
            super(dir, config);
            floe = Floe.open(dir, new FloeOptions(1, Long.MAX_VALUE), SyncMode.NONE);
            TableOptions options = TableOptions.defaults().withBuckets(config.writers())
                    .withCompression(CompressionOptions.uniform(config.codec()))
                    .withWriteBuffer(new WriteBufferOptions((long) config.memtableMiB() << 20, WriteBufferOptions.defaults().maxImmutableMemtables()));
            if (!config.autoCompaction()) {
                options = options.withCompaction(new CompactionOptions(64, 10_000, 1_000, 2, 1_024));
            }
            table = floe.table("t", config.schema(), options);
            bucketWriters = new BucketWriter[config.writers()];
            handles = new Writer[config.writers()];
            for (int b = 0; b < bucketWriters.length; b++) {
                BucketWriter w = table.writer(b);
                bucketWriters[b] = w;
                handles[b] = (data, i) -> w.upsert(data.rowView, i * data.rowBytes, data.rowBytes);
            }
        }

        @Override
        Writer writer(int w) {
            return handles[w];
        }

        @Override
        void flush() {
            checkpoint++;
            for (BucketWriter w : bucketWriters) {
                w.commit(checkpoint);
                w.flush();
            }
        }

        @Override
        void compactAll() {
            for (int b = 0; b < bucketWriters.length; b++) {
                table.compact(b);
            }
        }

        @Override
        long scanAll() {
            long sum = 0;
            try (Snapshot snapshot = table.snapshot()) {
                for (int b = 0; b < bucketWriters.length; b++) {
                    try (RowScan scan = snapshot.scan(b, ScanOptions.all())) {
                        while (scan.next()) {
                            sum += scan.row().getLong(0);
                        }
                    }
                }
            }
            return sum;
        }

        @Override
        long scanColumn(String name) {
            long sum = 0;
            ScanOptions options = ScanOptions.all().withColumns(java.util.List.of(name));
            try (Snapshot snapshot = table.snapshot()) {
                for (int b = 0; b < bucketWriters.length; b++) {
                    try (RowScan scan = snapshot.scan(b, options)) {
                        while (scan.next()) {
                            sum += scan.row().isNullAt(0) ? 0 : 1;
                        }
                    }
                }
            }
            return sum;
        }

        @Override
        Reader newReader() {
            Lookup lookup = table.newLookup();
            return new Reader() {
                @Override
                public boolean get(KernelBenchData data, int i) {
                    return lookup.get(data.keyView, i * KernelBenchData.KEY_BYTES, KernelBenchData.KEY_BYTES) && lookup.row().getInt(1) >= 0;
                }

                @Override
                public void close() {
                    lookup.close();
                }
            };
        }

        @Override
        public void close() {
            for (BucketWriter w : bucketWriters) {
                w.close();
            }
            table.close();
            floe.close();
            deleteDir();
        }
    }

    static final class RocksPeer extends KernelPeer {
        static {
            RocksDB.loadLibrary();
        }

        private final Options options;
        private final RocksDB db;
        private final WriteOptions write = new WriteOptions().setSync(false).setDisableWAL(false);
        private final ReadOptions read = new ReadOptions();
        private final byte[] value;
        private final Writer handle = this::upsert;

        /**
         * One database for every writer (its writes are thread-safe), with a write buffer of
         * {@code writers * memtableMiB}, so that it buffers as much as Floe's and Paimon's writers
         * together.
         */
        RocksPeer(Path dir, KernelPeerConfig config) {
            super(dir, config);
            value = new byte[config.rowBytes()];
            CompressionType codec = switch (config.codec()) {
                case NONE -> CompressionType.NO_COMPRESSION;
                case LZ4 -> CompressionType.LZ4_COMPRESSION;
                case ZSTD -> CompressionType.ZSTD_COMPRESSION;
            };
            options = new Options().setCreateIfMissing(true).setCompressionType(codec).setMaxBackgroundJobs(1)
                    .setWriteBufferSize(((long) config.memtableMiB() << 20) * config.writers()).setDisableAutoCompactions(!config.autoCompaction());
            try {
                db = RocksDB.open(options, dir.toString());
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        Writer writer(int w) {
            Objects.checkIndex(w, writers);
            return handle;
        }

        private void upsert(KernelBenchData data, int i) {
            try {
                db.put(write, data.keys, i * KernelBenchData.KEY_BYTES, KernelBenchData.KEY_BYTES, data.rows, i * data.rowBytes, data.rowBytes);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void flush() {
            try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
                db.flush(f);
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void compactAll() {
            try {
                db.compactRange();
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        long scanAll() {
            long sum = 0;
            try (RocksIterator it = db.newIterator(read)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    int length = it.value(value); // into a reused array: no allocation per row
                    sum += value[value.length - 1] + length;
                }
            }
            return sum;
        }

        /** A row store reads whole rows: the same scan as {@link #scanAll()}. */
        @Override
        long scanColumn(String name) {
            return scanAll();
        }

        @Override
        Reader newReader() {
            byte[] k = new byte[KernelBenchData.KEY_BYTES];
            byte[] v = new byte[value.length];
            return new Reader() {
                @Override
                public boolean get(KernelBenchData data, int i) {
                    System.arraycopy(data.keys, i * KernelBenchData.KEY_BYTES, k, 0, KernelBenchData.KEY_BYTES);
                    try {
                        return db.get(read, k, 0, k.length, v, 0, v.length) != RocksDB.NOT_FOUND && v[16] >= -128;
                    } catch (RocksDBException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
            db.close();
            options.close();
            write.close();
            read.close();
            deleteDir();
        }
    }
}
