package io.floe.kernel.merge;

import io.floe.common.error.FloeException;

/**
 * A change the table's merge engine cannot apply, for example a delete under the aggregation
 * engine with {@code aggregation.delete = reject}. Nothing was written.
 */
public class UnsupportedChangeException extends FloeException {
    private static final long serialVersionUID = 1L;

    public UnsupportedChangeException(String message) {
        super(message);
    }
}
