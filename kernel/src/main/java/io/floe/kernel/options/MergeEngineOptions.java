package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.schema.Schema;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merge engine of a table and, for {@link MergeEngineKind#AGGREGATION}, its functions.
 *
 * @param kind              the engine
 * @param aggregates        the function of named non-key columns (aggregation only; others must pass an empty map)
 * @param defaultAggregate  the function of the non-key columns not in {@code aggregates}
 * @param onDelete          what a delete does under aggregation (ignored by the other engines)
 */
public record MergeEngineOptions(MergeEngineKind kind, Map<String, AggregateFunction> aggregates, AggregateFunction defaultAggregate,
                                 AggregationDeletePolicy onDelete) {

    /** Throws {@link InvalidOptionException} if a part is missing or functions are given to an engine that is not aggregation. */
    public MergeEngineOptions {
        InvalidOptionException.check(kind != null, "merge-engine", null, "one of deduplicate, partial-update, aggregation, first-row");
        InvalidOptionException.check(defaultAggregate != null, "aggregation.default-function", null,
                "one of sum, min, max, count, last-non-null, last");
        InvalidOptionException.check(onDelete != null, "aggregation.delete", null, "one of reject, remove-row");
        aggregates = Map.copyOf(new TreeMap<>(aggregates));
        if (kind != MergeEngineKind.AGGREGATION && !aggregates.isEmpty()) {
            String column = new TreeMap<>(aggregates).firstKey();
            throw new InvalidOptionException("fields." + column + ".aggregate-function", aggregates.get(column).optionValue(),
                    "aggregate functions apply only with merge-engine = aggregation, not " + kind.optionValue());
        }
    }

    /** Returns the deduplicate engine (the default). */
    public static MergeEngineOptions deduplicate() {
        return of(MergeEngineKind.DEDUPLICATE);
    }

    /** Returns {@code kind} with no per-column functions, last-non-null by default, deletes rejected under aggregation. */
    public static MergeEngineOptions of(MergeEngineKind kind) {
        return new MergeEngineOptions(kind, Map.of(), AggregateFunction.LAST_NON_NULL, AggregationDeletePolicy.REJECT);
    }

    /** Returns the aggregation engine with {@code aggregates} per column. */
    public static MergeEngineOptions aggregation(Map<String, AggregateFunction> aggregates, AggregateFunction defaultAggregate,
                                                 AggregationDeletePolicy onDelete) {
        return new MergeEngineOptions(MergeEngineKind.AGGREGATION, aggregates, defaultAggregate, onDelete);
    }

    /** Returns the function of column {@code column} of {@code schema} (only meaningful for non-key columns). */
    public AggregateFunction aggregateOf(Schema schema, int column) {
        return aggregates.getOrDefault(schema.column(column).name(), defaultAggregate);
    }

    /**
     * Checks these options against the table's schema.
     * Throws {@link InvalidOptionException} if a function names a column that does not exist or is a
     * key column, or a function does not support its column's type.
     */
    public void validate(Schema schema) {
        for (Map.Entry<String, AggregateFunction> e : new TreeMap<>(aggregates).entrySet()) {
            String option = "fields." + e.getKey() + ".aggregate-function";
            int index = schema.indexOf(e.getKey());
            InvalidOptionException.check(index >= 0, option, e.getValue().optionValue(), "a column of " + schema);
            InvalidOptionException.check(!schema.isKeyColumn(index), option, e.getValue().optionValue(),
                    "a non-key column (key columns are never aggregated)");
            InvalidOptionException.check(e.getValue().supports(schema.type(index)), option, e.getValue().optionValue(),
                    e.getValue().optionValue() + " does not support " + schema.type(index) + "; see AggregateFunction.supports");
        }
        if (kind == MergeEngineKind.AGGREGATION) {
            for (int i = 0; i < schema.columnCount(); i++) {
                if (!schema.isKeyColumn(i) && !aggregates.containsKey(schema.column(i).name())) {
                    InvalidOptionException.check(defaultAggregate.supports(schema.type(i)), "aggregation.default-function",
                            defaultAggregate.optionValue(), "a function that supports column '" + schema.column(i).name() + "' of type "
                                    + schema.type(i) + ", or a per-column function for it");
                }
            }
        }
    }
}
