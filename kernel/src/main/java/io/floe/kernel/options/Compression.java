package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;

/**
 * The page compression of the SSTs the kernel writes. The kernel maps it onto the SST writer's
 * codec; it is never stored by ordinal (table options store its name).
 */
public enum Compression {
    NONE,
    LZ4,
    ZSTD;

    /**
     * Returns the compression named {@code text} (case-insensitive).
     * Throws {@link InvalidOptionException} naming {@code option} if there is none.
     */
    public static Compression parse(String option, String text) {
        for (Compression c : values()) {
            if (c.name().equalsIgnoreCase(text.trim())) {
                return c;
            }
        }
        throw new InvalidOptionException(option, text, "one of none, lz4, zstd");
    }

    /** Returns the name as written in table options: "none", "lz4" or "zstd". */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
