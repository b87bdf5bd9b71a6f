package io.floe.jmh.sst;

import io.floe.common.RowKind;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.sst.SstMetadata;
import io.floe.sst.SstOptions;
import io.floe.sst.SstWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;

/** Writes the benchmark files: deterministic data, BIGINT key {@code id} = row number. */
final class SstBenchData {
    static final String[] WORDS = new String[512];
    static final long[] LONGS = new long[256];

    static {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < WORDS.length; i++) {
            StringBuilder sb = new StringBuilder();
            int len = 8 + r.nextInt(24);
            for (int j = 0; j < len; j++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            WORDS[i] = sb.toString();
        }
        for (int i = 0; i < LONGS.length; i++) {
            LONGS[i] = r.nextLong();
        }
    }

    private SstBenchData() {
    }

    /** Schema: id BIGINT NOT NULL, then {@code longs} BIGINT NOT NULL columns v0.., then {@code strings} STRING NOT NULL columns s0... */
    static Schema schema(int longs, int strings) {
        Schema.Builder b = Schema.builder().column("id", "BIGINT NOT NULL");
        for (int i = 0; i < longs; i++) {
            b.column("v" + i, "BIGINT NOT NULL");
        }
        for (int i = 0; i < strings; i++) {
            b.column("s" + i, "STRING NOT NULL");
        }
        return b.primaryKey("id").build();
    }

    /**
     * Writes {@code rows} entries: v columns draw from 256 random 64-bit values (plain-encoded,
     * compressible), s columns from 512 random words of 8 to 31 letters, each row independently.
     */
    static SstMetadata write(Path path, Schema schema, SstOptions options, int rows, OffHeapAllocator allocator) {
        SplittableRandom r = new SplittableRandom(7);
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        int columns = schema.columnCount();
        try (SstWriter w = SstWriter.open(path, schema, options, allocator); RowWriter row = new RowWriter(schema, allocator)) {
            for (long id = 0; id < rows; id++) {
                row.reset();
                row.setLong(0, id);
                for (int c = 1; c < columns; c++) {
                    if (schema.column(c).name().startsWith("v")) {
                        row.setLong(c, LONGS[r.nextInt(LONGS.length)]);
                    } else {
                        row.setString(c, WORDS[r.nextInt(WORDS.length)]);
                    }
                }
                int len = row.complete();
                key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
                w.add(key, 0, 8, id + 1, RowKind.INSERT, row.buffer(), 0, len);
            }
            return w.finish();
        }
    }

    /** Returns the memcomparable key of {@code id}. */
    static UnsafeBuffer key(long id) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        key.putLong(0, id ^ Long.MIN_VALUE, ByteOrder.BIG_ENDIAN);
        return key;
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("floe-sst-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
