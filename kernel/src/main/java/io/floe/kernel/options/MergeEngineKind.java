package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;

/** How the entries of one key combine; see {@code io.floe.kernel.merge.MergeEngine}. */
public enum MergeEngineKind {
    /** The newest row wins. */
    DEDUPLICATE,
    /** Each non-null field of a newer row replaces the older field; null fields keep the old value. */
    PARTIAL_UPDATE,
    /** Each non-key column is folded with its aggregate function. */
    AGGREGATION,
    /** The first row written for a key wins; later upserts are ignored. */
    FIRST_ROW;

    /** Returns the engine named {@code text} ("partial-update"). Throws {@link InvalidOptionException} if there is none. */
    public static MergeEngineKind parse(String text) {
        for (MergeEngineKind k : values()) {
            if (k.optionValue().equalsIgnoreCase(text.trim())) {
                return k;
            }
        }
        throw new InvalidOptionException("merge-engine", text, "one of deduplicate, partial-update, aggregation, first-row");
    }

    /** Returns the name as written in table options, e.g. "partial-update". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
