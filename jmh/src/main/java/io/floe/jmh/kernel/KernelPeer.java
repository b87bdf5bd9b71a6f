package io.floe.jmh.kernel;

import io.floe.changelog.SyncMode;
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
 * Writes, flushes, compactions and scans come from one thread at a time; point lookups through one
 * {@link Reader} per thread.
 */
abstract class KernelPeer implements AutoCloseable {
    final Path dir;

    KernelPeer(Path dir) {
        this.dir = dir;
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

    /** Writes row {@code i} of {@code data}. */
    abstract void put(KernelBenchData data, int i);

    /** Makes everything written so far an immutable sorted run on disk. */
    abstract void flush();

    /** Merges every sorted run into one. */
    abstract void compactAll();

    /** Reads every live row in key order; returns a value that depends on every row. */
    abstract long scanAll();

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
        private final BucketWriter writer;
        private long checkpoint;

        FloePeer(Path dir, KernelPeerConfig config) {
            super(dir);
            floe = Floe.open(dir, new FloeOptions(1, Long.MAX_VALUE), SyncMode.NONE);
            TableOptions options = TableOptions.defaults().withCompression(CompressionOptions.uniform(config.codec()))
                    .withWriteBuffer(new WriteBufferOptions((long) config.memtableMiB() << 20, WriteBufferOptions.defaults().maxImmutableMemtables()));
            if (!config.autoCompaction()) {
                options = options.withCompaction(new CompactionOptions(64, 10_000, 1_000, 2, 1_024));
            }
            table = floe.table("t", config.schema(), options);
            writer = table.writer(0);
        }

        @Override
        void put(KernelBenchData data, int i) {
            writer.upsert(data.rowView, i * data.rowBytes, data.rowBytes);
        }

        @Override
        void flush() {
            writer.commit(++checkpoint);
            writer.flush();
        }

        @Override
        void compactAll() {
            table.compact(0);
        }

        @Override
        long scanAll() {
            long sum = 0;
            try (Snapshot snapshot = table.snapshot(); RowScan scan = snapshot.scan(0, ScanOptions.all())) {
                while (scan.next()) {
                    sum += scan.row().getLong(0);
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
            writer.close();
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

        RocksPeer(Path dir, KernelPeerConfig config) {
            super(dir);
            value = new byte[config.rowBytes()];
            CompressionType codec = switch (config.codec()) {
                case NONE -> CompressionType.NO_COMPRESSION;
                case LZ4 -> CompressionType.LZ4_COMPRESSION;
                case ZSTD -> CompressionType.ZSTD_COMPRESSION;
            };
            options = new Options().setCreateIfMissing(true).setCompressionType(codec).setMaxBackgroundJobs(1)
                    .setWriteBufferSize((long) config.memtableMiB() << 20).setDisableAutoCompactions(!config.autoCompaction());
            try {
                db = RocksDB.open(options, dir.toString());
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void put(KernelBenchData data, int i) {
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
