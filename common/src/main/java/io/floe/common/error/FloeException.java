package io.floe.common.error;

/**
 * The root of every error Floe raises on purpose. Unchecked, so that a storage call that fails
 * does not force {@code throws} clauses through every layer; each subclass names what went wrong
 * and where, so that a caller can act on the type and a person can act on the message.
 */
public class FloeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FloeException(String message) {
        super(message);
    }

    public FloeException(String message, Throwable cause) {
        super(message, cause);
    }
}
