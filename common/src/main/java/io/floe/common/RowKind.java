package io.floe.common;

/**
 * The kind of change an entry records, as Flink's {@code RowKind}: insert (+I), update-before
 * (-U), update-after (+U), delete (-D). The byte values are the ones Flink uses and are stored
 * on disk: never renumber them.
 */
public enum RowKind {
    INSERT("+I", (byte) 0),
    UPDATE_BEFORE("-U", (byte) 1),
    UPDATE_AFTER("+U", (byte) 2),
    DELETE("-D", (byte) 3);

    private static final RowKind[] BY_VALUE = {INSERT, UPDATE_BEFORE, UPDATE_AFTER, DELETE};

    private final String shortString;
    private final byte value;

    RowKind(String shortString, byte value) {
        this.shortString = shortString;
        this.value = value;
    }

    /** Returns the stored byte value. */
    public byte value() {
        return value;
    }

    /** Returns "+I", "-U", "+U" or "-D". */
    public String shortString() {
        return shortString;
    }

    /** Returns iff this kind adds a row ({@code +I} or {@code +U}) rather than retracting one. */
    public boolean isAdd() {
        return this == INSERT || this == UPDATE_AFTER;
    }

    /**
     * Returns the kind stored as {@code value}.
     * Throws {@link IllegalArgumentException} if {@code value} is not a kind (callers reading files
     * check {@link #isValid} first and raise a corruption error naming the file).
     */
    public static RowKind fromValue(byte value) {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a row kind: " + value);
        }
        return BY_VALUE[value];
    }

    /** Returns iff {@code value} is the stored value of a kind. */
    public static boolean isValid(byte value) {
        return value >= 0 && value < BY_VALUE.length;
    }

    /** Returns the kind written as "+I", "-U", "+U" or "-D". */
    public static RowKind fromShortString(String s) {
        for (RowKind kind : BY_VALUE) {
            if (kind.shortString.equals(s)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("not a row kind: '" + s + "' (expected +I, -U, +U or -D)");
    }
}
