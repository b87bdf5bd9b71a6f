package io.floe.jmh.memtable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * rocksdbjni as a memtable only: WAL disabled, a 2 GiB write buffer (nothing flushes for a million
 * 116-byte entries), no compression, the default skiplist memtable with concurrent memtable
 * writes. Puts and gets go through the {@code byte[]}-with-offset calls, which allocate no Java
 * objects (the value is copied into a reused array). Memory: native, freed by {@link #close()},
 * which also deletes the temporary directory.
 */
final class RocksPeer implements KvPeer {
    static {
        RocksDB.loadLibrary();
    }

    private final BenchData data;
    private final Path dir;
    private final Options options;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    RocksDB db;

    RocksPeer(BenchData data) {
        this.data = data;
        try {
            dir = Files.createTempDirectory("floe-bench-rocksdb");
            options = new Options().setCreateIfMissing(true).setWriteBufferSize(2L << 30).setMaxWriteBufferNumber(2)
                    .setCompressionType(CompressionType.NO_COMPRESSION).setAllowConcurrentMemtableWrite(true);
            writeOptions = new WriteOptions().setDisableWAL(true);
            readOptions = new ReadOptions();
            db = RocksDB.open(options, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void reset() {
        db.close();
        try {
            RocksDB.destroyDB(dir.toString(), options);
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Session newSession() {
        RocksDB db = this.db;
        byte[] out = new byte[BenchData.VALUE_BYTES];
        return new Session() {
            @Override
            public void put(int i) {
                try {
                    db.put(writeOptions, data.keys, BenchData.keyOffset(i), BenchData.KEY_BYTES, data.values,
                            BenchData.valueOffset(i), BenchData.VALUE_BYTES);
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public long get(int i) {
                try {
                    int n = db.get(readOptions, data.keys, BenchData.keyOffset(i), BenchData.KEY_BYTES, out, 0, out.length);
                    return n == RocksDB.NOT_FOUND ? -1 : (out[0] & 0xFF) | (out[7] & 0xFFL) << 56;
                } catch (RocksDBException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Returns RocksDB's own count of the bytes of all memtables. */
    @Override
    public long memoryBytes() {
        try {
            return db.getLongProperty("rocksdb.size-all-mem-tables");
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
        options.close();
        writeOptions.close();
        readOptions.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
