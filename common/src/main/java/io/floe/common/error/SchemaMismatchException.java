package io.floe.common.error;

/** A schema, row or key does not match the schema it is used with. The message says what differs. */
public class SchemaMismatchException extends FloeException {
    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message) {
        super(message);
    }
}
