package io.floe.kernel.merge;

import io.floe.common.error.ValueOutOfRangeException;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.kernel.options.AggregateFunction;
import io.floe.kernel.options.AggregationDeletePolicy;
import io.floe.kernel.options.MergeEngineOptions;

/**
 * The aggregation merge engine: key columns are kept, each other column is folded with its
 * {@link AggregateFunction}. Null inputs are ignored by every function but LAST. COUNT columns
 * store the count: a written row counts 1 if its value is non-null, else 0 ({@link #prepare}).
 *
 * <p>Deletes: by default rejected with {@link UnsupportedChangeException} (an aggregate cannot be
 * retracted in general); with {@link AggregationDeletePolicy#REMOVE_ROW} a delete removes the
 * aggregate and a later upsert starts a new one. SUM of FLOAT/DOUBLE is associative only up to
 * rounding; SUM of INT, BIGINT and DECIMAL is exact and throws {@link ValueOutOfRangeException}
 * when it leaves the column's range.
 */
final class AggregatingEngine implements MergeEngine {
    private final Schema schema;
    /** Per column; null for key columns. */
    private final AggregateFunction[] functions;
    private final boolean hasCount;
    private final AggregationDeletePolicy onDelete;

    AggregatingEngine(Schema schema, MergeEngineOptions options) {
        options.validate(schema);
        this.schema = schema;
        this.functions = new AggregateFunction[schema.columnCount()];
        boolean count = false;
        for (int c = 0; c < functions.length; c++) {
            if (!schema.isKeyColumn(c)) {
                functions[c] = options.aggregateOf(schema, c);
                count |= functions[c] == AggregateFunction.COUNT;
            }
        }
        this.hasCount = count;
        this.onDelete = options.onDelete();
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public boolean newestWins() {
        return false;
    }

    @Override
    public boolean needsPrepare() {
        return hasCount;
    }

    @Override
    public void prepare(RowReader input, RowWriter out) {
        out.reset();
        for (int c = 0; c < functions.length; c++) {
            if (functions[c] == AggregateFunction.COUNT) {
                setIntegral(out, c, input.isNullAt(c) ? 0 : 1);
            } else {
                Columns.copy(input, c, out);
            }
        }
        out.complete();
    }

    @Override
    public void checkDelete() {
        if (onDelete == AggregationDeletePolicy.REJECT) {
            throw new UnsupportedChangeException("the aggregation merge engine rejects deletes (aggregation.delete = reject); set "
                    + "aggregation.delete = remove-row to let a delete remove the key's aggregate");
        }
    }

    @Override
    public void merge(RowReader older, RowReader newer, RowWriter out) {
        out.reset();
        for (int c = 0; c < functions.length; c++) {
            AggregateFunction f = functions[c];
            if (f == null || f == AggregateFunction.LAST) {
                Columns.copy(newer, c, out);
            } else if (older.isNullAt(c) || newer.isNullAt(c)) {
                Columns.copy(newer.isNullAt(c) ? older : newer, c, out);
            } else {
                switch (f) {
                    case SUM, COUNT -> sum(older, newer, c, out);
                    case MIN -> Columns.copy(Columns.compare(older, newer, c) <= 0 ? older : newer, c, out);
                    case MAX -> Columns.copy(Columns.compare(older, newer, c) >= 0 ? older : newer, c, out);
                    default -> Columns.copy(newer, c, out);
                }
            }
        }
        out.complete();
    }

    private void sum(RowReader a, RowReader b, int c, RowWriter out) {
        ColumnType type = schema.type(c);
        try {
            switch (type.root()) {
                case INT -> out.setInt(c, Math.addExact(a.getInt(c), b.getInt(c)));
                case BIGINT -> out.setLong(c, Math.addExact(a.getLong(c), b.getLong(c)));
                case FLOAT -> out.setFloat(c, a.getFloat(c) + b.getFloat(c));
                case DOUBLE -> out.setDouble(c, a.getDouble(c) + b.getDouble(c));
                case DECIMAL -> {
                    if (type.isCompactDecimal()) {
                        out.setDecimalUnscaled(c, Math.addExact(a.getDecimalUnscaled(c), b.getDecimalUnscaled(c)));
                    } else {
                        out.setDecimal(c, a.getDecimal(c).add(b.getDecimal(c)));
                    }
                }
                default -> throw new IllegalStateException("SUM of " + type + " passed validation");
            }
        } catch (ArithmeticException e) {
            throw new ValueOutOfRangeException("the sum of column '" + schema.column(c).name() + "' overflows " + type);
        }
    }

    private static void setIntegral(RowWriter out, int c, long value) {
        if (out.schema().type(c).root() == io.floe.common.schema.TypeRoot.INT) {
            out.setInt(c, (int) value);
        } else {
            out.setLong(c, value);
        }
    }
}
