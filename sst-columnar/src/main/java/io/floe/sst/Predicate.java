package io.floe.sst;

import java.util.List;

/**
 * A filter on column values for {@link SstScan}: comparisons with a literal ({@code =, <, <=, >, >=}),
 * {@code IN} a list, {@code IS NULL}, combined with {@code AND}. Columns are named as in the schema
 * (or "_key", "_seq", "_kind"); literals are the Java values {@code RowWriter.setObject} takes
 * (Long/Integer, Double, BigDecimal, LocalDate, LocalDateTime, String, byte[], Boolean); for
 * "_key" a byte[] of memcomparable key bytes. As in SQL, a comparison or IN is false on a null value.
 * Order is the column's order (the memcomparable key order): FLOAT/DOUBLE as {@code Float.compare},
 * strings by UTF-8 bytes.
 */
public sealed interface Predicate {
    /** Comparison operators. */
    enum Op { EQ, LT, LE, GT, GE }

    record Compare(String column, Op op, Object value) implements Predicate {
    }

    record In(String column, List<Object> values) implements Predicate {
        public In {
            values = List.copyOf(values);
        }
    }

    record IsNull(String column) implements Predicate {
    }

    record And(List<Predicate> terms) implements Predicate {
        public And {
            terms = List.copyOf(terms);
        }
    }

    static Predicate eq(String column, Object value) {
        return new Compare(column, Op.EQ, value);
    }

    static Predicate lt(String column, Object value) {
        return new Compare(column, Op.LT, value);
    }

    static Predicate le(String column, Object value) {
        return new Compare(column, Op.LE, value);
    }

    static Predicate gt(String column, Object value) {
        return new Compare(column, Op.GT, value);
    }

    static Predicate ge(String column, Object value) {
        return new Compare(column, Op.GE, value);
    }

    static Predicate in(String column, Object... values) {
        return new In(column, List.of(values));
    }

    static Predicate isNull(String column) {
        return new IsNull(column);
    }

    static Predicate and(Predicate... terms) {
        return new And(List.of(terms));
    }
}
