package io.floe.sst;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Fuzz targets for the SST reader: the input is the whole file. Each input is opened and read
 * through every path the reader offers (metadata, the entry iterator with seeks and rows, point
 * lookups, scans with projection and predicates, Arrow export). The only acceptable outcomes are
 * reads or a {@link CorruptionException} ({@link ValueOutOfRangeException} from Arrow export of a
 * timestamp Arrow cannot hold); anything else, a leak of off-heap memory, or a JVM crash is a finding.
 *
 * <ul>
 *   <li>{@link #rawFile}: the bytes as they are (mutations are mostly caught by the checksums);</li>
 *   <li>{@link #fixedChecksums}: the bytes with every checksum recomputed first
 *       ({@link SstChecksumFixer}), so that mutations reach the footer, index and page decoders.</li>
 * </ul>
 *
 * Seeds are small real SSTs (written by {@link FuzzSeeds}) under
 * {@code src/test/resources/io/floe/sst/SstReaderFuzzTestInputs/<method>/}; they and any saved
 * findings run as regression tests in the default build. Fuzz one target with
 * {@code mvn -Pfuzz -pl sst-columnar test -Dtest='SstReaderFuzzTest#fixedChecksums'}.
 */
class SstReaderFuzzTest {
    /** Work per input is bounded so that a long (valid) file does not stall the fuzzer. */
    private static final int MAX_ENTRIES = 2_000;
    private static final int MAX_PROBES = 32;
    private static final int MAX_BATCHES = 64;

    private static Path file;

    @FuzzTest(maxDuration = "5m")
    void rawFile(byte[] data) {
        readOrFailWithCorruption(data);
    }

    @FuzzTest(maxDuration = "5m")
    void fixedChecksums(byte[] data) {
        byte[] bytes = data.clone();
        SstChecksumFixer.fix(bytes);
        readOrFailWithCorruption(bytes);
    }

    private static void readOrFailWithCorruption(byte[] bytes) {
        Path path = write(bytes);
        String name = path.getFileName().toString();
        OffHeapAllocator allocator = new OffHeapAllocator("sst-fuzz", Long.MAX_VALUE);
        SstReader reader;
        try {
            reader = SstReader.open(path, allocator);
        } catch (CorruptionException expected) {
            checkNamed(expected, name);
            checkNoLeaks(allocator);
            return;
        }
        try (reader) {
            reader.metadata().toString();
            List<byte[]> keys = new ArrayList<>();
            keys.add(reader.footer.minKey());
            keys.add(reader.footer.maxKey());
            keys.add(new byte[0]);
            // Each read path on its own: a corruption that one path meets first must not hide the others.
            phase(name, () -> iterate(reader, keys));
            phase(name, () -> seek(reader, keys));
            phase(name, () -> lookup(reader, keys));
            phase(name, () -> scan(reader, ScanSpec.of(columnNames(reader))));
            phase(name, () -> scan(reader, ScanSpec.of(columnNames(reader)).keyRange(keys.get(keys.size() / 2), reader.footer.maxKey())));
            phase(name, () -> scan(reader, ScanSpec.of(SstOptions.KEY_NAME).where(predicate(reader))));
        }
        checkNoLeaks(allocator);
    }

    private static void phase(String file, Runnable read) {
        try {
            read.run();
        } catch (CorruptionException expected) {
            checkNamed(expected, file);
        }
    }

    private static void checkNamed(CorruptionException e, String file) {
        if (e.file() == null || !e.file().contains(file)) {
            throw new AssertionError("corruption error does not name the file " + file + ": " + e, e);
        }
    }

    private static void checkNoLeaks(OffHeapAllocator allocator) {
        String leaks = allocator.leakReport();
        if (!leaks.isEmpty()) {
            throw new AssertionError("off-heap memory leaked: " + leaks);
        }
    }

    private static Path write(byte[] bytes) {
        try {
            if (file == null) {
                Path dir = Files.createTempDirectory("sst-fuzz");
                dir.toFile().deleteOnExit();
                file = dir.resolve("fuzz.sst");
                file.toFile().deleteOnExit();
            }
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every entry (up to a bound) with its row; adds some of the keys to {@code keys}. */
    private static void iterate(SstReader reader, List<byte[]> keys) {
        try (EntryIterator it = reader.newIterator()) {
            int n = 0;
            for (it.seekToFirst(); it.valid() && n < MAX_ENTRIES; it.next(), n++) {
                byte[] key = it.key();
                if (n % 17 == 0 && keys.size() < MAX_PROBES) {
                    keys.add(key);
                }
                it.seq();
                it.kind();
                it.row().toObjects();
            }
        }
    }

    private static void seek(SstReader reader, List<byte[]> keys) {
        try (EntryIterator it = reader.newIterator()) {
            for (byte[] key : keys) {
                it.seek(new UnsafeBuffer(key), 0, key.length);
                for (int i = 0; i < 3 && it.valid(); i++, it.next()) {
                    it.key();
                    it.kind();
                    it.row().toObjects();
                }
            }
        }
    }

    private static void lookup(SstReader reader, List<byte[]> keys) {
        try (PointLookup lookup = reader.newLookup()) {
            for (byte[] key : keys) {
                for (long snapshot : new long[] {Long.MAX_VALUE, reader.footer.minSeq()}) {
                    if (lookup.get(new UnsafeBuffer(key), 0, key.length, snapshot)) {
                        lookup.kind();
                        lookup.row().toObjects();
                    }
                }
            }
        }
    }

    private static void scan(SstReader reader, ScanSpec spec) {
        try (SstScan scan = reader.scan(spec); RootAllocator arrow = new RootAllocator()) {
            for (int n = 0; n < MAX_BATCHES && scan.next(); n++) {
                ColumnBatch batch = scan.batch();
                readRaw(batch);
                try (VectorSchemaRoot root = ArrowExport.export(batch, arrow)) {
                    root.getRowCount();
                } catch (ValueOutOfRangeException expected) {
                    // a timestamp Arrow's nanosecond vector cannot hold: documented
                }
            }
        }
    }

    /** Reads every kept value through the vectors' raw accessors (typed reading is Arrow export's). */
    private static void readRaw(ColumnBatch batch) {
        for (int c = 0; c < batch.columnCount(); c++) {
            ValueVector v = batch.vector(c);
            for (int i = 0; i < batch.size(); i++) {
                int row = batch.selected(i);
                if (v.isNull(row)) {
                    continue;
                }
                if (v.isVariable()) {
                    v.data().getBytes(v.offset(row), new byte[v.length(row)]);
                } else {
                    v.getLong(row);
                }
            }
        }
    }

    private static String[] columnNames(SstReader reader) {
        return reader.columns().stream().map(FileColumn::name).distinct().toArray(String[]::new);
    }

    /** Returns a conjunction with one term per column the file has (a literal of the column's type, or IS NULL). */
    private static Predicate predicate(SstReader reader) {
        List<Predicate> terms = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (FileColumn c : reader.columns()) {
            if (seen.contains(c.name())) {
                continue;
            }
            seen.add(c.name());
            if (c.isKey()) {
                terms.add(Predicate.ge(c.name(), reader.footer.minKey()));
            } else if (c.nullable() && terms.size() % 3 == 2) {
                terms.add(Predicate.isNull(c.name()));
            } else {
                terms.add(literalTerm(c.name(), c.type()));
            }
        }
        return new Predicate.And(terms);
    }

    private static Predicate literalTerm(String name, ColumnType type) {
        return switch (type.root()) {
            case BOOLEAN -> Predicate.eq(name, Boolean.TRUE);
            case INT -> Predicate.in(name, 0, 1, -1);
            case BIGINT -> Predicate.gt(name, -5L);
            case FLOAT -> Predicate.le(name, 1.5f);
            case DOUBLE -> Predicate.lt(name, 1e9);
            case DECIMAL -> Predicate.ge(name, BigDecimal.ZERO);
            case DATE -> Predicate.ge(name, LocalDate.of(2000, 1, 1));
            case TIMESTAMP -> Predicate.le(name, LocalDateTime.of(2100, 1, 1, 0, 0));
            case STRING -> Predicate.ge(name, "b");
            case BYTES -> Predicate.lt(name, new byte[] {(byte) 0x80});
        };
    }
}
