package io.floe.kernel;

import io.floe.sst.Predicate;
import java.util.List;

/**
 * What a scan reads. Immutable.
 *
 * @param fromKey   the first encoded key (memcomparable, {@code KeyEncoder}) to read, inclusive; null: from the first key
 * @param toKey     the encoded key to stop before, exclusive; null: to the last key
 * @param columns   the columns to return, in this order; null: every column of the schema. SST files
 *                  are read for these and the predicate's columns only (memtable rows are whole)
 * @param predicate the rows to return (SST predicate syntax, evaluated on the merged row); null: every row
 */
public record ScanOptions(byte[] fromKey, byte[] toKey, List<String> columns, Predicate predicate) {
    public ScanOptions {
        columns = columns == null ? null : List.copyOf(columns);
    }

    /** Returns options that read every row and column. */
    public static ScanOptions all() {
        return new ScanOptions(null, null, null, null);
    }

    public ScanOptions withRange(byte[] from, byte[] to) {
        return new ScanOptions(from, to, columns, predicate);
    }

    public ScanOptions withColumns(List<String> names) {
        return new ScanOptions(fromKey, toKey, names, predicate);
    }

    public ScanOptions withPredicate(Predicate p) {
        return new ScanOptions(fromKey, toKey, columns, p);
    }
}
