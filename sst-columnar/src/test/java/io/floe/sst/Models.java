package io.floe.sst;

import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** Model-side predicate evaluation and batch-to-values conversion (test only). */
final class Models {
    private Models() {
    }

    static boolean matches(Predicate p, Schema schema, Entry e) {
        if (p instanceof Predicate.And and) {
            return and.terms().stream().allMatch(t -> matches(t, schema, e));
        }
        if (p instanceof Predicate.IsNull n) {
            return e.values()[schema.indexOf(n.column())] == null;
        }
        if (p instanceof Predicate.In in) {
            return in.values().stream().anyMatch(v -> matches(Predicate.eq(in.column(), v), schema, e));
        }
        Predicate.Compare c = (Predicate.Compare) p;
        int col = schema.indexOf(c.column());
        Object value = e.values()[col];
        if (value == null) {
            return false;
        }
        ColumnType type = schema.type(col);
        int cmp = TestData.compareValues(type, value, canonical(type, c.value()));
        return switch (c.op()) {
            case EQ -> cmp == 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    /** Returns the literal as the column stores it (decimals at the column's scale, timestamps truncated). */
    private static Object canonical(ColumnType type, Object literal) {
        return switch (type.root()) {
            case DECIMAL -> ((BigDecimal) literal).setScale(type.scale(), java.math.RoundingMode.HALF_UP);
            case TIMESTAMP -> {
                LocalDateTime t = (LocalDateTime) literal;
                int p = type.precision();
                int unit = (int) Math.pow(10, 9 - p);
                yield t.withNano(t.getNano() - t.getNano() % unit);
            }
            default -> literal;
        };
    }

    /** Returns the values of page row {@code row} of a batch as Java objects (as RowReader returns them). */
    static Object[] rowOf(ColumnBatch b, int row) {
        Object[] out = new Object[b.columnCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(b.column(i), b.vector(i), row);
        }
        return out;
    }

    static Object value(FileColumn c, ValueVector v, int row) {
        if (v.isNull(row)) {
            return null;
        }
        ColumnType type = c.type();
        if (c.schemaIndex() < 0) {
            return switch (c.name()) {
                case SstOptions.SEQ_NAME -> v.getLong(row);
                case SstOptions.KIND_NAME -> (int) v.getLong(row);
                default -> bytes(v, row);
            };
        }
        long slot = v.isVariable() ? 0 : v.getLong(row);
        return switch (type.root()) {
            case BOOLEAN -> (slot & 0xFF) != 0;
            case INT -> (int) slot;
            case BIGINT -> slot;
            case FLOAT -> Float.intBitsToFloat((int) slot);
            case DOUBLE -> Double.longBitsToDouble(slot);
            case DATE -> LocalDate.ofEpochDay((int) slot);
            case DECIMAL -> type.isCompactDecimal() ? BigDecimal.valueOf(slot, type.scale()) : new BigDecimal(new BigInteger(bytes(v, row)), type.scale());
            case TIMESTAMP -> {
                if (type.isCompactTimestamp()) {
                    yield io.floe.common.row.Values.timestamp(slot, 0);
                }
                yield io.floe.common.row.Values.timestamp(v.data().getLong(v.offset(row)), v.data().getInt(v.offset(row) + 8));
            }
            case STRING -> new String(bytes(v, row), StandardCharsets.UTF_8);
            case BYTES -> bytes(v, row);
        };
    }

    static byte[] bytes(ValueVector v, int row) {
        byte[] out = new byte[v.length(row)];
        v.data().getBytes(v.offset(row), out);
        return out;
    }
}
