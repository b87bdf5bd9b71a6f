package io.floe.changelog;

import io.floe.common.error.FloeException;

/**
 * An append gave a sequence number that is not greater than the last one in the changelog (or is
 * negative). Nothing was appended.
 */
public class SeqOrderException extends FloeException {
    private static final long serialVersionUID = 1L;

    private final long seq;
    private final long lastSeq;

    public SeqOrderException(String changelog, long seq, long lastSeq) {
        super("changelog " + changelog + ": seq " + seq + " is out of order (must be > last seq " + lastSeq
                + (seq < 0 ? " and >= 0" : "") + ")");
        this.seq = seq;
        this.lastSeq = lastSeq;
    }

    /** Returns the rejected seq. */
    public long seq() {
        return seq;
    }

    /** Returns the changelog's last seq at the time. */
    public long lastSeq() {
        return lastSeq;
    }
}
