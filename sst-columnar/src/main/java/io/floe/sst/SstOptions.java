package io.floe.sst;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.schema.Schema;
import java.util.Map;

/**
 * Options of an {@link SstWriter}. Immutable and validated on construction.
 *
 * @param rowGroupRows      a row group closes at the first page boundary where it holds at least this
 *                          many entries (1 to 2^30)
 * @param rowGroupBytes     ... or its stored pages reach this many bytes (64 KiB to 1 GiB); the writer
 *                          buffers one row group, so this (plus a page) bounds its memory
 * @param pageBytes         a page closes once one of its columns holds this many raw bytes (1 KiB to 64 MiB)
 * @param pageRows          most entries in a page (16 to 1,048,576)
 * @param defaultCodec      the codec of columns not named in {@code codecs}
 * @param codecs            codec by column name (schema column names; "_key", "_seq" and "_kind"
 *                          name the key, sequence and kind columns)
 * @param zstdLevel         Zstd level (1 to 22)
 * @param bloomBitsPerKey   bloom filter bits per distinct key (0 = no filter, up to 32)
 * @param dictionaryMaxRatio a string page is dictionary-encoded only if distinct values / values is
 *                          at most this (0 = never, up to 1)
 */
public record SstOptions(int rowGroupRows, int rowGroupBytes, int pageBytes, int pageRows, Codec defaultCodec,
                         Map<String, Codec> codecs, int zstdLevel, int bloomBitsPerKey, double dictionaryMaxRatio) {
    public static final String KEY_NAME = "_key";
    public static final String SEQ_NAME = "_seq";
    public static final String KIND_NAME = "_kind";

    public SstOptions {
        InvalidOptionException.check(rowGroupRows >= 1 && rowGroupRows <= (1 << 30), "rowGroupRows", rowGroupRows, "1 to 2^30");
        InvalidOptionException.check(rowGroupBytes >= (64 << 10) && rowGroupBytes <= (1 << 30), "rowGroupBytes", rowGroupBytes, "64 KiB to 1 GiB");
        InvalidOptionException.check(pageBytes >= 1024 && pageBytes <= (64 << 20), "pageBytes", pageBytes, "1 KiB to 64 MiB");
        InvalidOptionException.check(pageRows >= 16 && pageRows <= SstLayout.MAX_PAGE_ROWS, "pageRows", pageRows, "16 to 1048576");
        InvalidOptionException.check(defaultCodec != null, "defaultCodec", null, "one of none, lz4, zstd");
        InvalidOptionException.check(codecs != null, "codecs", null, "a map of column name to codec (may be empty)");
        codecs = Map.copyOf(codecs);
        InvalidOptionException.check(zstdLevel >= 1 && zstdLevel <= 22, "zstdLevel", zstdLevel, "1 to 22");
        InvalidOptionException.check(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 32, "bloomBitsPerKey", bloomBitsPerKey, "0 (no filter) to 32");
        InvalidOptionException.check(dictionaryMaxRatio >= 0 && dictionaryMaxRatio <= 1, "dictionaryMaxRatio", dictionaryMaxRatio, "0 to 1");
    }

    /** Returns the defaults: 1 Mi rows or 64 MiB row groups, 64 KiB / 64 Ki-row pages, LZ4, zstd level 3, 10 bloom bits, dictionary at half. */
    public static SstOptions defaults() {
        return new SstOptions(1 << 20, 64 << 20, 64 << 10, 1 << 16, Codec.LZ4, Map.of(), 3, 10, 0.5);
    }

    public SstOptions withCodec(Codec codec) {
        return new SstOptions(rowGroupRows, rowGroupBytes, pageBytes, pageRows, codec, codecs, zstdLevel, bloomBitsPerKey, dictionaryMaxRatio);
    }

    public SstOptions withCodecs(Map<String, Codec> byColumn) {
        return new SstOptions(rowGroupRows, rowGroupBytes, pageBytes, pageRows, defaultCodec, byColumn, zstdLevel, bloomBitsPerKey, dictionaryMaxRatio);
    }

    public SstOptions withRowGroup(int rows, int bytes) {
        return new SstOptions(rows, bytes, pageBytes, pageRows, defaultCodec, codecs, zstdLevel, bloomBitsPerKey, dictionaryMaxRatio);
    }

    public SstOptions withPage(int bytes, int rows) {
        return new SstOptions(rowGroupRows, rowGroupBytes, bytes, rows, defaultCodec, codecs, zstdLevel, bloomBitsPerKey, dictionaryMaxRatio);
    }

    public SstOptions withZstdLevel(int level) {
        return new SstOptions(rowGroupRows, rowGroupBytes, pageBytes, pageRows, defaultCodec, codecs, level, bloomBitsPerKey, dictionaryMaxRatio);
    }

    public SstOptions withBloomBitsPerKey(int bits) {
        return new SstOptions(rowGroupRows, rowGroupBytes, pageBytes, pageRows, defaultCodec, codecs, zstdLevel, bits, dictionaryMaxRatio);
    }

    public SstOptions withDictionaryMaxRatio(double ratio) {
        return new SstOptions(rowGroupRows, rowGroupBytes, pageBytes, pageRows, defaultCodec, codecs, zstdLevel, bloomBitsPerKey, ratio);
    }

    /**
     * Returns the codec of each physical column of {@code schema}.
     * Throws {@link InvalidOptionException} if {@code codecs} names a column the schema lacks.
     */
    Codec[] codecsFor(Schema schema) {
        for (String name : codecs.keySet()) {
            boolean known = name.equals(KEY_NAME) || name.equals(SEQ_NAME) || name.equals(KIND_NAME) || schema.indexOf(name) >= 0;
            InvalidOptionException.check(known, "codecs", name, "a column of " + schema + " or _key, _seq, _kind");
        }
        Codec[] result = new Codec[SstLayout.FIRST_VALUE_COLUMN + schema.columnCount()];
        result[SstLayout.KEY_COLUMN] = codecs.getOrDefault(KEY_NAME, defaultCodec);
        result[SstLayout.SEQ_COLUMN] = codecs.getOrDefault(SEQ_NAME, defaultCodec);
        result[SstLayout.KIND_COLUMN] = codecs.getOrDefault(KIND_NAME, defaultCodec);
        for (int i = 0; i < schema.columnCount(); i++) {
            result[SstLayout.FIRST_VALUE_COLUMN + i] = codecs.getOrDefault(schema.column(i).name(), defaultCodec);
        }
        return result;
    }
}
