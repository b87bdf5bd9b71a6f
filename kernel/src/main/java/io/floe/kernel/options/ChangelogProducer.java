package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;

/** What a table's changelog holds for streaming readers. */
public enum ChangelogProducer {
    /** Exactly what was written: +I/+U for upserts, -D with the key for deletes. */
    NONE,
    /**
     * A complete changelog: the writer looks up the previous row of the key and emits +I for a
     * new key, -U (old row) and +U (merged row) for an update, and -D with the old row for a delete
     * of a present key (nothing for a delete of an absent key).
     */
    FULL;

    /** Returns the producer named {@code text}. Throws {@link InvalidOptionException} if there is none. */
    public static ChangelogProducer parse(String text) {
        for (ChangelogProducer p : values()) {
            if (p.optionValue().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new InvalidOptionException("changelog-producer", text, "one of none, full");
    }

    /** Returns "none" or "full". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
