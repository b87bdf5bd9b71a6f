package io.floe.common.error;

/** An operation was called on a resource (table, reader, changelog, memtable) after it was closed. */
public class ClosedException extends FloeException {
    private static final long serialVersionUID = 1L;

    public ClosedException(String what) {
        super(what + " is closed");
    }
}
