package io.floe.kernel.read;

import io.floe.common.row.RowReader;
import io.floe.common.schema.Schema;
import io.floe.sst.Predicate;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Evaluates an SST {@link Predicate} on a merged row, with the SST's semantics: a comparison or IN is
 * false on a null value; values compare in the column's order (numbers numerically, strings by
 * code point, which is UTF-8 byte order, bytes unsigned). Threads: immutable.
 */
public final class RowPredicate {
    private RowPredicate() {
    }

    /** Returns iff {@code row} satisfies {@code p} (null: every row). Throws {@link IllegalArgumentException} if a column is unknown. */
    public static boolean test(Predicate p, RowReader row) {
        if (p == null) {
            return true;
        }
        Schema s = row.schema();
        if (p instanceof Predicate.And and) {
            for (Predicate t : and.terms()) {
                if (!test(t, row)) {
                    return false;
                }
            }
            return true;
        }
        if (p instanceof Predicate.IsNull n) {
            return row.isNullAt(s.requireIndex(n.column()));
        }
        if (p instanceof Predicate.In in) {
            Object v = row.getObject(s.requireIndex(in.column()));
            if (v == null) {
                return false;
            }
            for (Object x : in.values()) {
                if (x != null && compare(v, x) == 0) {
                    return true;
                }
            }
            return false;
        }
        Predicate.Compare c = (Predicate.Compare) p;
        Object v = row.getObject(s.requireIndex(c.column()));
        if (v == null || c.value() == null) {
            return false;
        }
        int cmp = compare(v, c.value());
        return switch (c.op()) {
            case EQ -> cmp == 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    /** Returns iff {@code p} names only columns in {@code columns}. */
    public static boolean onlyColumns(Predicate p, java.util.Set<String> columns) {
        if (p instanceof Predicate.And and) {
            return and.terms().stream().allMatch(t -> onlyColumns(t, columns));
        }
        if (p instanceof Predicate.IsNull n) {
            return columns.contains(n.column());
        }
        if (p instanceof Predicate.In in) {
            return columns.contains(in.column());
        }
        return columns.contains(((Predicate.Compare) p).column());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object value, Object literal) {
        if (value instanceof Float || value instanceof Double || literal instanceof Float || literal instanceof Double) {
            if (value instanceof BigDecimal || literal instanceof BigDecimal) {
                return toDecimal(value).compareTo(toDecimal(literal));
            }
            return Double.compare(((Number) value).doubleValue(), ((Number) literal).doubleValue());
        }
        if (value instanceof BigDecimal || literal instanceof BigDecimal) {
            return toDecimal(value).compareTo(toDecimal(literal));
        }
        if (value instanceof Number a && literal instanceof Number b) {
            return Long.compare(a.longValue(), b.longValue());
        }
        if (value instanceof String a && literal instanceof String b) {
            return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
        }
        if (value instanceof byte[] a && literal instanceof byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }
        if (value.getClass() == literal.getClass() && value instanceof Comparable c) {
            return c.compareTo(literal);
        }
        throw new IllegalArgumentException("cannot compare a " + value.getClass().getSimpleName() + " column value with the literal "
                + literal + " (" + literal.getClass().getSimpleName() + ")");
    }

    private static BigDecimal toDecimal(Object o) {
        return o instanceof BigDecimal d ? d : new BigDecimal(o.toString());
    }
}
