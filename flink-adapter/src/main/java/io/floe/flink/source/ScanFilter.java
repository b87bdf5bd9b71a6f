package io.floe.flink.source;

import io.floe.sst.Predicate;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The filters a Floe source evaluates itself, in a form Flink can ship to the TaskManagers: a
 * conjunction of terms, each on one column with literals already in the column's exact Java type
 * (see {@code FilterTranslator}), turned into the kernel's scan {@link Predicate} where it is read.
 * Every term is false on a null value except {@link Op#IS_NULL}, as in SQL. Immutable.
 *
 * @param terms the terms, all of which a row must satisfy; empty: every row
 */
public record ScanFilter(List<Term> terms) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The comparisons a term can make. */
    public enum Op { EQ, LT, LE, GT, GE, IN, IS_NULL }

    /**
     * One term: {@code column op values}. {@code values} holds one literal for a comparison, one or
     * more for IN, none for IS NULL; each is the Java value the kernel's row writer takes for the
     * column's type (Long/Integer, BigDecimal, LocalDate, LocalDateTime, String, byte[], Boolean),
     * never null. Immutable.
     */
    public record Term(String column, Op op, List<Object> values) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Term {
            values = List.copyOf(values);
            int expected = op == Op.IS_NULL ? 0 : op == Op.IN ? -1 : 1;
            if (expected >= 0 && values.size() != expected || op == Op.IN && values.isEmpty()) {
                throw new IllegalArgumentException(op + " on '" + column + "' with " + values.size() + " values");
            }
        }

        Predicate toPredicate() {
            return switch (op) {
                case EQ -> Predicate.eq(column, values.get(0));
                case LT -> Predicate.lt(column, values.get(0));
                case LE -> Predicate.le(column, values.get(0));
                case GT -> Predicate.gt(column, values.get(0));
                case GE -> Predicate.ge(column, values.get(0));
                case IN -> new Predicate.In(column, values);
                case IS_NULL -> Predicate.isNull(column);
            };
        }

        @Override
        public String toString() {
            return column + " " + op + (values.isEmpty() ? "" : " " + values.stream().map(v -> v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b)
                    : String.valueOf(v)).collect(Collectors.joining(", ")));
        }
    }

    /** The filter that keeps every row. */
    public static final ScanFilter NONE = new ScanFilter(List.of());

    public ScanFilter {
        terms = List.copyOf(terms);
    }

    /** Returns this filter and {@code more} together. */
    public ScanFilter and(List<Term> more) {
        List<Term> all = new ArrayList<>(terms);
        all.addAll(more);
        return new ScanFilter(all);
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Returns the kernel predicate of this filter, or null if it keeps every row. */
    public Predicate toPredicate() {
        if (terms.isEmpty()) {
            return null;
        }
        if (terms.size() == 1) {
            return terms.get(0).toPredicate();
        }
        return new Predicate.And(terms.stream().map(Term::toPredicate).collect(Collectors.toList()));
    }

    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(" AND "));
    }
}
