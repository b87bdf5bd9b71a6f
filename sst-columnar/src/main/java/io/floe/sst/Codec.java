package io.floe.sst;

import io.floe.common.error.InvalidOptionException;
import java.util.Locale;

/** Page compression of a column chunk; the byte value is stored in the file, never renumber. */
public enum Codec {
    NONE((byte) 0),
    LZ4((byte) 1),
    ZSTD((byte) 2);

    private final byte id;

    Codec(byte id) {
        this.id = id;
    }

    /** Returns the stored byte. */
    public byte id() {
        return id;
    }

    /** Returns the codec stored as {@code id}, or null if none is. */
    public static Codec fromId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> LZ4;
            case 2 -> ZSTD;
            default -> null;
        };
    }

    /** Returns the codec named {@code name} (any case). Throws {@link InvalidOptionException} if none is. */
    public static Codec parse(String option, String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(option, name, "one of none, lz4, zstd");
        }
    }
}
