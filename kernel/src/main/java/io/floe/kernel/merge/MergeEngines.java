package io.floe.kernel.merge;

import io.floe.common.schema.Schema;
import io.floe.kernel.options.MergeEngineOptions;

/** Creates the {@link MergeEngine} that table options name. */
public final class MergeEngines {
    private MergeEngines() {
    }

    /**
     * Returns the engine of {@code options} for rows of {@code schema}.
     * Throws {@code InvalidOptionException} if the options do not fit the schema.
     */
    public static MergeEngine create(Schema schema, MergeEngineOptions options) {
        options.validate(schema);
        return switch (options.kind()) {
            case DEDUPLICATE -> new SimpleEngines.Deduplicate(schema);
            case FIRST_ROW -> new SimpleEngines.FirstRow(schema);
            case PARTIAL_UPDATE -> new SimpleEngines.PartialUpdate(schema);
            case AGGREGATION -> new AggregatingEngine(schema, options);
        };
    }
}
