package io.floe.kernel.bucket;

/**
 * Counters of one bucket, a snapshot taken by {@code Table.stats(bucket)}. Immutable.
 *
 * @param writeStalls       how many times the writer waited because {@code memtable.max-immutable}
 *                          full memtables were still waiting for their flush
 * @param writeStallNanos   how long the writer waited in total
 * @param flushes           memtables flushed to level-0 SSTs
 * @param compactions       compactions finished
 * @param immutableMemtables full memtables waiting for their flush now
 * @param sortedRuns        sorted runs in the current version
 * @param lastSeq           the last sequence number written (visible to new snapshots)
 */
public record BucketStats(long writeStalls, long writeStallNanos, long flushes, long compactions, int immutableMemtables, int sortedRuns,
                          long lastSeq) {
}
