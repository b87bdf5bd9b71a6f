package io.floe.changelog;

/** Receives records from {@link ChangelogTailer#read(RecordHandler, int)}. */
@FunctionalInterface
public interface RecordHandler {
    /**
     * Called once per record, in seq order, on the tailer's thread. The record and its buffers are
     * valid only during the call. An exception thrown here propagates out of {@code read}; the
     * record that raised it counts as consumed.
     */
    void onRecord(ChangelogRecord record);
}
