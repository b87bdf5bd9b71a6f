package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.SchemaMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link Predicate} bound to a file's physical columns, flattened to a conjunction of terms with
 * literals in sortable form ({@link Sortable}). Answers two questions: can any row covered by some
 * statistics match ({@link #mightMatch}), and which rows of decoded pages match ({@link #filter}).
 *
 * <p>Threads: immutable after binding except for a scratch buffer: single owner (one per scan).
 */
final class BoundPredicate {
    /** One term on one column: op is null for IS NULL; values has one literal, or several for IN. */
    record Term(int column, Predicate.Op op, byte[][] values, long[] fixedValues) {
    }

    private final Term[] terms;
    private final FileColumn[] columns;
    private final String file;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);

    private BoundPredicate(Term[] terms, FileColumn[] columns, String file) {
        this.terms = terms;
        this.columns = columns;
        this.file = file;
    }

    /** Binds {@code predicate} (null for none) to {@code reader}'s columns. Throws {@link SchemaMismatchException} if a column or literal does not fit. */
    static BoundPredicate bind(Predicate predicate, SstReader reader) {
        List<Term> terms = new ArrayList<>();
        if (predicate != null) {
            flatten(predicate, reader.columns, terms);
        }
        return new BoundPredicate(terms.toArray(new Term[0]), reader.columns, reader.file.name());
    }

    private static void flatten(Predicate p, FileColumn[] columns, List<Term> out) {
        if (p instanceof Predicate.And and) {
            and.terms().forEach(t -> flatten(t, columns, out));
        } else if (p instanceof Predicate.IsNull n) {
            out.add(new Term(column(columns, n.column()), null, new byte[0][], new long[0]));
        } else if (p instanceof Predicate.Compare c) {
            if (c.value() == null) {
                throw new SchemaMismatchException("predicate on '" + c.column() + "' compares with null; use IS NULL");
            }
            out.add(term(columns, c.column(), c.op(), List.of(c.value())));
        } else if (p instanceof Predicate.In in) {
            out.add(term(columns, in.column(), Predicate.Op.EQ, in.values()));
        }
    }

    private static Term term(FileColumn[] columns, String name, Predicate.Op op, List<Object> literals) {
        int c = column(columns, name);
        FileColumn col = columns[c];
        byte[][] values = new byte[literals.size()][];
        long[] fixed = new long[literals.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = literals.get(i);
            if (v == null) {
                throw new SchemaMismatchException("predicate on '" + name + "' compares with null; use IS NULL");
            }
            values[i] = c == SstLayout.KEY_COLUMN ? ((byte[]) v).clone() : Sortable.ofValue(col.type(), v, name);
            if (!col.variable()) {
                fixed[i] = Sortable.fixedFromBytes(values[i]);
            }
        }
        return new Term(c, op, values, fixed);
    }

    private static int column(FileColumn[] columns, String name) {
        for (int c = 0; c < columns.length; c++) {
            if (columns[c].name().equals(name)) {
                return c;
            }
        }
        throw new SchemaMismatchException("predicate names no column of the file: '" + name + "'");
    }

    /** Returns the physical columns the predicate reads. */
    int[] columns() {
        return java.util.Arrays.stream(terms).mapToInt(Term::column).distinct().toArray();
    }

    boolean isEmpty() {
        return terms.length == 0;
    }

    /** Returns false iff no row covered by {@code stats} (indexed by physical column) can match. */
    boolean mightMatch(ColumnStats[] stats) {
        for (Term t : terms) {
            if (!mightMatch(t, stats[t.column])) {
                return false;
            }
        }
        return true;
    }

    private static boolean mightMatch(Term t, ColumnStats s) {
        if (t.op == null) {
            return s.nullCount() > 0;
        }
        if (s.allNull()) {
            return false;
        }
        for (byte[] v : t.values) {
            int vsMin = s.min() == null ? 1 : ByteComparisons.compare(v, s.min());
            int vsMax = s.max() == null ? -1 : ByteComparisons.compare(v, s.max());
            boolean possible = switch (t.op) {
                case EQ -> vsMin >= 0 && vsMax <= 0;
                case LT -> s.min() == null || vsMin > 0;
                case LE -> vsMin >= 0;
                case GT -> s.max() == null || vsMax < 0;
                case GE -> vsMax <= 0;
            };
            if (possible) {
                return true;
            }
        }
        return false;
    }

    /**
     * Narrows {@code selection[0, count)} (page row numbers, ascending) to the rows that match,
     * reading column {@code c} from {@code vectors[c]}; returns the new count.
     */
    int filter(ValueVector[] vectors, int[] selection, int count) {
        for (Term t : terms) {
            ValueVector v = vectors[t.column];
            int kept = 0;
            for (int k = 0; k < count; k++) {
                int row = selection[k];
                if (matches(t, v, row)) {
                    selection[kept++] = row;
                }
            }
            count = kept;
        }
        return count;
    }

    private boolean matches(Term t, ValueVector v, int row) {
        boolean isNull = v.isNull(row);
        if (t.op == null) {
            return isNull;
        }
        if (isNull) {
            return false;
        }
        FileColumn col = columns[t.column];
        for (int i = 0; i < t.values.length; i++) {
            int cmp;
            if (!col.variable()) {
                cmp = Long.compareUnsigned(Sortable.fixed(col.root(), v.getLong(row)), t.fixedValues[i]);
            } else if (t.column == SstLayout.KEY_COLUMN || Sortable.bytesAsIs(col.root())) {
                cmp = ByteComparisons.compare(v.data(), v.offset(row), v.length(row), t.values[i]);
            } else {
                int len = Sortable.convert(col.root(), v.data(), v.offset(row), v.length(row), scratch);
                if (len < 0) {
                    throw new io.floe.common.error.CorruptionException(file, -1, "malformed " + col.type() + " value in column '" + col.name() + "'");
                }
                cmp = ByteComparisons.compare(scratch, 0, len, t.values[i]);
            }
            boolean match = switch (t.op) {
                case EQ -> cmp == 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }
}
