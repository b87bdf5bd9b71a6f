package io.floe.jmh.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.paimon.data.BinaryRow;
import org.apache.paimon.data.BinaryRowWriter;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.disk.IOManager;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.local.LocalFileIO;
import org.apache.paimon.io.DataFileMeta;
import org.apache.paimon.memory.MemorySegment;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaManager;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.FileStoreTableFactory;
import org.apache.paimon.table.query.LocalTableQuery;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.RowKeyExtractor;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.table.sink.TableWriteImpl;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.types.DataTypes;

/**
 * Apache Paimon as a kernel-benchmark engine: a primary-key table with one bucket per writer on the local file
 * system (Paimon's Hadoop-free {@link LocalFileIO}, its default file format, Parquet), written with
 * Paimon's own table writer and commit and read with its own reader.
 * <ul>
 *   <li>Rows: the same values as Floe's, encoded once into Paimon's binary rows before any
 *       measurement ({@link #prepare}); a write hands Paimon a reused row view, as Floe gets a
 *       (buffer, offset, length) reference.</li>
 *   <li>Writes: {@code StreamTableWrite.write}: into Paimon's write buffer ({@code write-buffer-size}
 *       = the memtable parameter, not spillable), which flushes a sorted file when full; Paimon
 *       compacts in its writer's one background thread. Paimon has no write-ahead log: a write is
 *       durable at its commit, so the write benchmark's Paimon side does less I/O per row than
 *       Floe's and RocksDB's, which log every row.</li>
 *   <li>Several writers ({@code writers} > 1): a table of that many buckets and one
 *       {@code StreamTableWrite} per writer, each writing the rows of its own bucket (Paimon's own
 *       bucket function, {@link #writerOf}), as each subtask of a Flink sink writes its buckets;
 *       one commit takes all their commit messages. The write buffer is per writer, as each
 *       subtask has its own; the writers share one compaction thread (as Floe's buckets share one
 *       background thread and RocksDB has one background job), where Flink's subtasks would have
 *       one each.</li>
 *   <li>{@link #flush}: prepare-commit (flushes the write buffer into one sorted run) and commit a
 *       snapshot; with auto-compaction off the table is {@code write-only}, so runs stay apart.</li>
 *   <li>{@link #compactAll}: a full compaction through a compacting copy of the table, committed.</li>
 *   <li>Scans: a batch scan plan of the latest snapshot and Paimon's merging reader, batch by batch.</li>
 *   <li>Point lookups: {@link LocalTableQuery}, Paimon's lookup API (the one its Flink lookup join
 *       and query service use), one per reader: it is given the bucket's files of the latest
 *       snapshot and builds local lookup files from them on first access, then answers by key.</li>
 * </ul>
 * Compression: {@code file.compression} = the codec parameter (none, lz4, zstd), applied to every
 * data file. Threads: each writer from one thread at a time; flushes and compactions from one
 * thread with no write under way; readers from one thread each.
 */
final class PaimonPeer extends KernelPeer {
    private final FileStoreTable table;
    private final StreamWriteBuilder writeBuilder;
    /** Write w is writer w's; each is used by one thread at a time (flush and close: with no write under way). */
    private final StreamTableWrite[] writes;
    private final PaimonWriter[] handles;
    private final StreamTableCommit commit;
    /** The writers' one compaction thread if there are several writers, else null (the write's own). */
    private final ExecutorService compactions;
    /** Computes Paimon's bucket of an encoded row for {@link #writerOf} (the setup thread's). */
    private final RowKeyExtractor buckets;
    private long commitId;
    private KernelBenchData encodedFor;
    private MemorySegment encoded;
    private int encodedRowBytes;
    private final List<PaimonReader> readers = new ArrayList<>(); // guarded by itself

    PaimonPeer(Path dir, KernelPeerConfig config) {
        super(dir, config);
        Schema.Builder schema = Schema.newBuilder().column("id", DataTypes.BIGINT().notNull());
        int columns = config.schema().columnCount();
        for (int c = 1; c < columns - 1; c++) {
            schema.column(config.schema().column(c).name(), c % 2 == 1 ? DataTypes.INT() : DataTypes.DOUBLE());
        }
        schema.column("name", DataTypes.STRING()).primaryKey("id").option("bucket", Integer.toString(config.writers()))
                .option("file.compression", config.codec().optionValue())
                .option("write-buffer-size", config.memtableMiB() + " mb")
                .option("write-buffer-spillable", "false")
                .option("write-only", Boolean.toString(!config.autoCompaction()));
        try {
            FileIO io = LocalFileIO.create();
            org.apache.paimon.fs.Path path = new org.apache.paimon.fs.Path(dir.resolve("t").toString());
            table = FileStoreTableFactory.create(io, path, new SchemaManager(io, path).createTable(schema.build()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the Paimon table in " + dir, e);
        }
        writeBuilder = table.newStreamWriteBuilder().withCommitUser(UUID.randomUUID().toString());
        compactions = config.writers() == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "paimon-bench-compaction");
            t.setDaemon(true);
            return t;
        });
        writes = new StreamTableWrite[config.writers()];
        handles = new PaimonWriter[config.writers()];
        for (int w = 0; w < writes.length; w++) {
            writes[w] = writeBuilder.newWrite();
            if (compactions != null) {
                ((TableWriteImpl<?>) writes[w]).withCompactExecutor(compactions);
            }
            handles[w] = new PaimonWriter(writes[w], config.schema().columnCount());
        }
        commit = writeBuilder.newCommit();
        buckets = table.createRowKeyExtractor();
    }

    /** Encodes the rows of {@code data} into Paimon's binary rows (every row has the same size). */
    @Override
    void prepare(KernelBenchData data) {
        if (encodedFor == data) {
            return;
        }
        int columns = data.schema.columnCount();
        BinaryRow r = new BinaryRow(columns);
        BinaryRowWriter w = new BinaryRowWriter(r);
        io.floe.common.row.RowReader floeRow = new io.floe.common.row.RowReader(data.schema);
        byte[] bytes = null;
        for (int i = 0; i < data.count; i++) {
            floeRow.wrap(data.rowView, i * data.rowBytes, data.rowBytes);
            w.reset();
            w.writeLong(0, floeRow.getLong(0));
            for (int c = 1; c < columns - 1; c++) {
                if (c % 2 == 1) {
                    w.writeInt(c, floeRow.getInt(c));
                } else {
                    w.writeDouble(c, floeRow.getDouble(c));
                }
            }
            w.writeString(columns - 1, BinaryString.fromString(floeRow.getString(columns - 1)));
            w.complete();
            if (bytes == null) {
                encodedRowBytes = r.getSizeInBytes();
                bytes = new byte[Math.multiplyExact(data.count, encodedRowBytes)];
            } else if (r.getSizeInBytes() != encodedRowBytes) {
                throw new IllegalStateException("Paimon row " + i + " is " + r.getSizeInBytes() + " bytes, row 0 " + encodedRowBytes);
            }
            System.arraycopy(r.toBytes(), 0, bytes, i * encodedRowBytes, encodedRowBytes);
        }
        encoded = MemorySegment.wrap(bytes == null ? new byte[0] : bytes);
        encodedFor = data;
    }

    @Override
    Writer writer(int w) {
        return handles[w];
    }

    /** Returns Paimon's bucket of row {@code i} of {@code data}: the writer that owns that bucket. */
    @Override
    int writerOf(KernelBenchData data, int i) {
        if (writers == 1) {
            return 0;
        }
        prepare(data);
        BinaryRow r = new BinaryRow(data.schema.columnCount());
        r.pointTo(encoded, i * encodedRowBytes, encodedRowBytes);
        buckets.setRecord(r);
        return buckets.bucket();
    }

    /** A writer's reused row view over the encoded rows and its table write. */
    private final class PaimonWriter implements Writer {
        private final StreamTableWrite write;
        private final BinaryRow row;

        PaimonWriter(StreamTableWrite write, int columns) {
            this.write = write;
            this.row = new BinaryRow(columns);
        }

        @Override
        public void put(KernelBenchData data, int i) {
            if (encodedFor != data) {
                throw new IllegalStateException("prepare(data) was not called before the writes");
            }
            row.pointTo(encoded, i * encodedRowBytes, encodedRowBytes);
            try {
                write.write(row);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Prepares every writer's commit (flushing its write buffer into a sorted run) and commits them as one snapshot. */
    @Override
    void flush() {
        long id = ++commitId;
        try {
            List<CommitMessage> messages = new ArrayList<>();
            for (StreamTableWrite w : writes) {
                messages.addAll(w.prepareCommit(false, id));
            }
            commit.commit(id, messages);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    void compactAll() {
        long id = ++commitId;
        FileStoreTable compacting = table.copy(Map.of("write-only", "false"));
        StreamWriteBuilder builder = compacting.newStreamWriteBuilder().withCommitUser(writeBuilder.commitUser());
        try (StreamTableWrite w = builder.newWrite(); StreamTableCommit c = builder.newCommit()) {
            for (int b = 0; b < writers; b++) {
                w.compact(BinaryRow.EMPTY_ROW, b, true);
            }
            c.commit(id, w.prepareCommit(true, id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    long scanAll() {
        return sumRows(table.newReadBuilder(), r -> r.getLong(0));
    }

    @Override
    long scanColumn(String name) {
        int index = table.rowType().getFieldNames().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + name + "' in " + table.rowType());
        }
        return sumRows(table.newReadBuilder().withProjection(new int[] {index}), r -> r.isNullAt(0) ? 0 : 1);
    }

    /** Reads every row {@code read} plans and returns the sum of {@code value} over them. */
    private static long sumRows(ReadBuilder read, java.util.function.ToLongFunction<InternalRow> value) {
        List<Split> splits = read.newScan().plan().splits();
        long sum = 0;
        try (RecordReader<InternalRow> reader = read.newRead().createReader(splits)) {
            RecordReader.RecordIterator<InternalRow> batch;
            while ((batch = reader.readBatch()) != null) {
                InternalRow r;
                while ((r = batch.next()) != null) {
                    sum += value.applyAsLong(r);
                }
                batch.releaseBatch();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return sum;
    }

    /**
     * Returns a lookup of its own: a {@link LocalTableQuery} given every bucket's files of the latest
     * snapshot (it does not follow later commits), with its own directory for local lookup files,
     * as each subtask of Paimon's Flink lookup join has one.
     */
    @Override
    Reader newReader() {
        List<List<DataFileMeta>> files = new ArrayList<>();
        for (int b = 0; b < writers; b++) {
            files.add(new ArrayList<>());
        }
        for (Split split : table.newReadBuilder().newScan().plan().splits()) {
            DataSplit s = (DataSplit) split;
            files.get(s.bucket()).addAll(s.dataFiles());
        }
        PaimonReader reader;
        synchronized (readers) {
            reader = new PaimonReader(IOManager.create(dir.resolve("lookup-tmp-" + readers.size()).toString()));
            readers.add(reader);
        }
        for (int b = 0; b < writers; b++) {
            reader.query.refreshFiles(BinaryRow.EMPTY_ROW, b, Collections.emptyList(), files.get(b));
        }
        return reader;
    }

    private final class PaimonReader implements Reader {
        private final IOManager ioManager;
        private final LocalTableQuery query;
        private final BinaryRow key = new BinaryRow(1);
        private final BinaryRowWriter keyWriter = new BinaryRowWriter(key);
        /** With several buckets: a row of the table's width with only the key set, to find the key's bucket. */
        private final BinaryRow probe;
        private final BinaryRowWriter probeWriter;
        private final RowKeyExtractor bucketOf;
        private boolean closed;

        PaimonReader(IOManager ioManager) {
            this.ioManager = ioManager;
            this.query = table.newLocalTableQuery().withIOManager(ioManager);
            this.probe = new BinaryRow(table.rowType().getFieldCount());
            this.probeWriter = new BinaryRowWriter(probe);
            this.bucketOf = writers == 1 ? null : table.createRowKeyExtractor();
        }

        /** Returns Paimon's bucket of the key {@code id}. */
        private int bucket(long id) {
            if (bucketOf == null) {
                return 0;
            }
            probeWriter.reset();
            probeWriter.writeLong(0, id);
            for (int c = 1; c < probe.getFieldCount(); c++) {
                probeWriter.setNullAt(c);
            }
            probeWriter.complete();
            bucketOf.setRecord(probe);
            return bucketOf.bucket();
        }

        @Override
        public boolean get(KernelBenchData data, int i) {
            long id = data.id(i);
            keyWriter.reset();
            keyWriter.writeLong(0, id);
            keyWriter.complete();
            try {
                InternalRow value = query.lookup(BinaryRow.EMPTY_ROW, bucket(id), key);
                return value != null && value.getLong(0) == id;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            synchronized (readers) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                query.close();
                ioManager.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            List<PaimonReader> open;
            synchronized (readers) {
                open = new ArrayList<>(readers);
            }
            open.forEach(PaimonReader::close);
            for (StreamTableWrite w : writes) {
                w.close();
            }
            commit.close();
            if (compactions != null) {
                compactions.shutdownNow();
                if (!compactions.awaitTermination(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("Paimon's compaction thread did not stop in a minute");
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            deleteDir();
        }
    }
}
