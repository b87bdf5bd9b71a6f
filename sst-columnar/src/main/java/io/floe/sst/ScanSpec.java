package io.floe.sst;

import java.util.List;

/**
 * What a {@link SstScan} reads. Immutable.
 *
 * @param columns   the columns to return, by name (schema columns, "_key", "_seq", "_kind"), in
 *                  batch order; only these and the predicate's columns are read and decompressed
 * @param predicate rows to keep, or null for all
 * @param fromKey   smallest key to return (inclusive), or null from the start
 * @param toKey     key to stop before (exclusive), or null to the end
 */
public record ScanSpec(List<String> columns, Predicate predicate, byte[] fromKey, byte[] toKey) {
    public ScanSpec {
        columns = List.copyOf(columns);
        fromKey = fromKey == null ? null : fromKey.clone();
        toKey = toKey == null ? null : toKey.clone();
    }

    /** Returns a spec of the named columns, every row. */
    public static ScanSpec of(String... columns) {
        return new ScanSpec(List.of(columns), null, null, null);
    }

    public ScanSpec where(Predicate p) {
        return new ScanSpec(columns, p, fromKey, toKey);
    }

    public ScanSpec keyRange(byte[] from, byte[] to) {
        return new ScanSpec(columns, predicate, from, to);
    }
}
