package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;

/**
 * What a delete does under the aggregation merge engine. An aggregate cannot retract a value in
 * general (MIN and MAX have no inverse), so the kernel offers no retraction.
 */
public enum AggregationDeletePolicy {
    /** The default: a delete is refused with {@code UnsupportedChangeException}, and nothing is written. */
    REJECT,
    /** A delete removes the key's aggregate; a later upsert starts a new one. */
    REMOVE_ROW;

    /** Returns the policy named {@code text}. Throws {@link InvalidOptionException} if there is none. */
    public static AggregationDeletePolicy parse(String text) {
        for (AggregationDeletePolicy p : values()) {
            if (p.optionValue().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new InvalidOptionException("aggregation.delete", text, "one of reject, remove-row");
    }

    /** Returns "reject" or "remove-row". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
