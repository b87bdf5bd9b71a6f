package io.floe.kernel.merge;

import io.floe.common.schema.Schema;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.MergeEngineOptions;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.SplittableRandom;

/** The merge engines written plainly over Java values, as the oracle of {@link MergeEngineModelTest}. */
final class MergeModel {
    private final Schema schema;
    private final MergeEngineOptions options;

    MergeModel(Schema schema, MergeEngineOptions options) {
        this.schema = schema;
        this.options = options;
    }

    /** Returns a row of {@link MergeEngineModelTest#SCHEMA} with key {@code id}, small values and random nulls. */
    static Object[] randomRow(SplittableRandom r, long id) {
        Object[] v = new Object[11];
        v[0] = id;
        v[1] = r.nextInt(-1000, 1000);
        v[2] = (long) r.nextInt(-1000, 1000);
        v[3] = (double) r.nextInt(-1000, 1000);
        v[4] = BigDecimal.valueOf(r.nextInt(-100_000, 100_000), 2);
        v[5] = BigDecimal.valueOf(r.nextLong(-1_000_000_000L, 1_000_000_000L), 5);
        v[6] = "s" + r.nextInt(100);
        v[7] = LocalDateTime.of(2024, 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1000) * 1000);
        v[8] = LocalDate.ofEpochDay(r.nextInt(20_000));
        v[9] = r.nextBoolean();
        v[10] = new byte[] {(byte) r.nextInt(256), (byte) r.nextInt(256)};
        for (int c = 1; c < v.length; c++) {
            if (r.nextInt(3) == 0) {
                v[c] = null;
            }
        }
        return v;
    }

    /** Returns the state after upserting {@code row} onto {@code state} (null: absent or deleted). */
    Object[] upsert(Object[] state, Object[] row) {
        Object[] in = row.clone();
        if (options.kind() == io.floe.kernel.options.MergeEngineKind.AGGREGATION) {
            for (int c = 0; c < in.length; c++) {
                if (!schema.isKeyColumn(c) && options.aggregateOf(schema, c) == AggregateFunction.COUNT) {
                    in[c] = in[c] == null ? 0L : 1L;
                }
            }
        }
        if (state == null) {
            return in;
        }
        Object[] out = new Object[in.length];
        for (int c = 0; c < in.length; c++) {
            out[c] = switch (options.kind()) {
                case DEDUPLICATE -> in[c];
                case FIRST_ROW -> state[c];
                case PARTIAL_UPDATE -> in[c] != null ? in[c] : state[c];
                case AGGREGATION -> schema.isKeyColumn(c) ? in[c] : aggregate(options.aggregateOf(schema, c), state[c], in[c]);
            };
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object aggregate(AggregateFunction f, Object old, Object now) {
        if (f == AggregateFunction.LAST) {
            return now;
        }
        if (old == null || now == null) {
            return now == null ? old : now;
        }
        return switch (f) {
            case SUM, COUNT -> {
                if (old instanceof Integer a) {
                    yield a + (Integer) now;
                } else if (old instanceof Long a) {
                    yield a + (Long) now;
                } else if (old instanceof Double a) {
                    yield a + (Double) now;
                }
                yield ((BigDecimal) old).add((BigDecimal) now);
            }
            case MIN -> ((Comparable) old).compareTo(now) <= 0 ? old : now;
            case MAX -> ((Comparable) old).compareTo(now) >= 0 ? old : now;
            default -> now;
        };
    }
}
