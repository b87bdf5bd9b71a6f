package io.floe.common.error;

/**
 * An off-heap allocation would exceed the allocator's byte limit. Raised by the allocator only;
 * structures that have a natural "full" state (a memtable arena) report it as a return value.
 */
public class MemoryLimitException extends FloeException {
    private static final long serialVersionUID = 1L;

    public MemoryLimitException(String message) {
        super(message);
    }
}
