package io.floe.kernel.options;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.schema.Schema;
import java.time.Duration;

/**
 * The options of one table, one small record per concern. Immutable; the {@code with*} methods
 * return copies. {@link TableOptionsCodec} reads and writes them as string key/value pairs (Flink
 * table options, the table's stored options file).
 *
 * @param buckets           the number of buckets (independent LSM trees), 1 to 4,096; fixed at creation
 * @param writeBuffer       memtable size and how many may wait for their flush
 * @param compression       compression per level
 * @param compaction        universal compaction triggers
 * @param mergeEngine       how the entries of one key combine
 * @param changelogProducer what the changelog holds for streaming readers
 * @param changelogRetention how long changelog files are kept after their roll period ended, even
 *                          when flushed (streaming readers restored from an older position need
 *                          them); a changelog file is never released before its records are flushed
 * @param fileLayout        the page size of the SSTs that flushes and compactions write
 */
public record TableOptions(int buckets, WriteBufferOptions writeBuffer, CompressionOptions compression, CompactionOptions compaction,
                           MergeEngineOptions mergeEngine, ChangelogProducer changelogProducer, Duration changelogRetention,
                           FileLayoutOptions fileLayout) {
    /** The default changelog retention: a day, so that a job restored from a checkpoint of yesterday still finds its changes. */
    public static final Duration DEFAULT_CHANGELOG_RETENTION = Duration.ofDays(1);
    public static final int MAX_BUCKETS = 4_096;

    /** Throws {@link InvalidOptionException} if the bucket count is out of range or a part is missing. */
    public TableOptions {
        InvalidOptionException.check(buckets >= 1 && buckets <= MAX_BUCKETS, "bucket", buckets, "an integer from 1 to " + MAX_BUCKETS);
        InvalidOptionException.check(writeBuffer != null, "memtable.*", null, "write buffer options");
        InvalidOptionException.check(compression != null, "compression.*", null, "compression options");
        InvalidOptionException.check(compaction != null, "compaction.*", null, "compaction options");
        InvalidOptionException.check(mergeEngine != null, "merge-engine", null, "merge engine options");
        InvalidOptionException.check(changelogProducer != null, "changelog-producer", null, "one of none, full");
        InvalidOptionException.check(changelogRetention != null && !changelogRetention.isNegative(), "changelog.retention",
                changelogRetention, "a duration of 0 or more");
        InvalidOptionException.check(fileLayout != null, "file.*", null, "file layout options");
    }

    /** Returns one bucket and every default. */
    public static TableOptions defaults() {
        return new TableOptions(1, WriteBufferOptions.defaults(), CompressionOptions.defaults(), CompactionOptions.defaults(),
                MergeEngineOptions.deduplicate(), ChangelogProducer.NONE, DEFAULT_CHANGELOG_RETENTION,
                FileLayoutOptions.defaults());
    }

    public TableOptions withBuckets(int n) {
        return new TableOptions(n, writeBuffer, compression, compaction, mergeEngine, changelogProducer, changelogRetention, fileLayout);
    }

    public TableOptions withWriteBuffer(WriteBufferOptions o) {
        return new TableOptions(buckets, o, compression, compaction, mergeEngine, changelogProducer, changelogRetention, fileLayout);
    }

    public TableOptions withCompression(CompressionOptions o) {
        return new TableOptions(buckets, writeBuffer, o, compaction, mergeEngine, changelogProducer, changelogRetention, fileLayout);
    }

    public TableOptions withCompaction(CompactionOptions o) {
        return new TableOptions(buckets, writeBuffer, compression, o, mergeEngine, changelogProducer, changelogRetention, fileLayout);
    }

    public TableOptions withMergeEngine(MergeEngineOptions o) {
        return new TableOptions(buckets, writeBuffer, compression, compaction, o, changelogProducer, changelogRetention, fileLayout);
    }

    public TableOptions withChangelogProducer(ChangelogProducer p) {
        return new TableOptions(buckets, writeBuffer, compression, compaction, mergeEngine, p, changelogRetention, fileLayout);
    }

    public TableOptions withChangelogRetention(Duration d) {
        return new TableOptions(buckets, writeBuffer, compression, compaction, mergeEngine, changelogProducer, d, fileLayout);
    }

    public TableOptions withFileLayout(FileLayoutOptions o) {
        return new TableOptions(buckets, writeBuffer, compression, compaction, mergeEngine, changelogProducer, changelogRetention, o);
    }

    /**
     * Checks the options that depend on the schema.
     * Throws {@link InvalidOptionException} if they do not fit {@code schema}.
     */
    public void validate(Schema schema) {
        mergeEngine.validate(schema);
    }
}
