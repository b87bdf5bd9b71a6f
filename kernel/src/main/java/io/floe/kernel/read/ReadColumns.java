package io.floe.kernel.read;

import io.floe.common.schema.Schema;
import io.floe.sst.Predicate;

/**
 * Which columns a scan must read from SST files: those it returns and those its predicate tests
 * (evaluated on the merged row). The merge engines fold column by column, so a key's fold over
 * these columns alone gives them the values of a full fold; the rest stay null in the rows read.
 */
public final class ReadColumns {
    private ReadColumns() {
    }

    /**
     * Returns per column of {@code schema} whether a scan returning the columns {@code projection}
     * (indexes; null: every column) with {@code predicate} (null: none) reads it, or null if it reads
     * every column. Requires: the predicate names only columns of {@code schema}.
     */
    public static boolean[] of(Schema schema, int[] projection, Predicate predicate) {
        if (projection == null) {
            return null;
        }
        boolean[] read = new boolean[schema.columnCount()];
        for (int c : projection) {
            read[c] = true;
        }
        mark(schema, predicate, read);
        for (boolean r : read) {
            if (!r) {
                return read;
            }
        }
        return null;
    }

    private static void mark(Schema schema, Predicate p, boolean[] read) {
        if (p == null) {
            return;
        }
        if (p instanceof Predicate.And and) {
            for (Predicate t : and.terms()) {
                mark(schema, t, read);
            }
        } else if (p instanceof Predicate.IsNull n) {
            read[schema.requireIndex(n.column())] = true;
        } else if (p instanceof Predicate.In in) {
            read[schema.requireIndex(in.column())] = true;
        } else {
            read[schema.requireIndex(((Predicate.Compare) p).column())] = true;
        }
    }
}
