package io.floe.common.error;

/** A value does not fit the column it is written to (a DECIMAL beyond its precision, a null in a NOT NULL column). */
public class ValueOutOfRangeException extends FloeException {
    private static final long serialVersionUID = 1L;

    public ValueOutOfRangeException(String message) {
        super(message);
    }
}
