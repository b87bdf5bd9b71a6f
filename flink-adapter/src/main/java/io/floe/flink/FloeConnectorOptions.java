package io.floe.flink;

import io.floe.kernel.options.FileLayoutOptions;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * The options of {@code 'connector' = 'floe'}. The connector's own options are here; the table
 * options (bucket, merge engine, changelog producer, compression, memtable, compaction) are the
 * kernel's ({@code io.floe.kernel.options.TableOptionsCodec}) and are checked by it, plus two
 * short forms: {@code compression} (every level) and {@code write-buffer-size} (= memtable.size).
 * A few table options are also declared here with a description ({@link #declaredTableOptions}).
 */
public final class FloeConnectorOptions {
    private FloeConnectorOptions() {
    }

    /** How a streaming read starts. */
    public enum ScanMode {
        /** A consistent snapshot of the table, then its changelog from exactly that point. */
        FULL("full"),
        /** Only changes committed after the job starts. */
        LATEST("latest"),
        /** The changelog from the sequence number in scan.from-seq (per bucket). */
        FROM_SEQ("from-seq"),
        /** The changelog from the first change committed at or after scan.from-timestamp. */
        FROM_TIMESTAMP("from-timestamp");

        private final String value;

        ScanMode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** Which changes a reader sees. */
    public enum Isolation {
        /** Only changes up to the last checkpoint the writer committed. */
        READ_COMMITTED("read-committed"),
        /** Every change as soon as it is appended, committed or not. */
        READ_UNCOMMITTED("read-uncommitted");

        private final String value;

        Isolation(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    public static final ConfigOption<String> PATH = ConfigOptions.key("path").stringType().noDefaultValue()
            .withDescription("The local directory of the Floe store that holds the table (created if missing). Required.");

    public static final ConfigOption<String> TABLE_NAME = ConfigOptions.key("table-name").stringType().noDefaultValue()
            .withDescription("The table's name inside the store; defaults to the Flink table's name.");

    public static final ConfigOption<String> SCAN_MODE = ConfigOptions.key("scan.mode").stringType().defaultValue(ScanMode.FULL.value())
            .withDescription(Description.builder().text("Where a streaming read starts: 'full' (snapshot, then changes from exactly that point), "
                    + "'latest' (new changes only), 'from-seq' (changes from scan.from-seq), 'from-timestamp' (changes from scan.from-timestamp). "
                    + "Batch reads always read a snapshot.").build());

    public static final ConfigOption<Long> SCAN_FROM_SEQ = ConfigOptions.key("scan.from-seq").longType().noDefaultValue()
            .withDescription("The first sequence number to read with scan.mode = 'from-seq'.");

    public static final ConfigOption<Long> SCAN_FROM_TIMESTAMP = ConfigOptions.key("scan.from-timestamp").longType().noDefaultValue()
            .withDescription("Epoch milliseconds; with scan.mode = 'from-timestamp' a streaming read starts, in every bucket, at the first change "
                    + "committed at or after it (a change is dated by the commit, i.e. the checkpoint, that published it).");

    public static final ConfigOption<String> READ_ISOLATION = ConfigOptions.key("read.isolation").stringType()
            .defaultValue(Isolation.READ_COMMITTED.value())
            .withDescription("'read-committed': readers see changes up to the writer's last completed checkpoint; "
                    + "'read-uncommitted': as soon as they are appended (lower latency, may see changes a failover rolls back). "
                    + "Applies to snapshot reads (batch scans, the snapshot of scan.mode 'full') and to the changelog alike.");

    public static final ConfigOption<String> LOOKUP_ISOLATION = ConfigOptions.key("lookup.isolation").stringType()
            .defaultValue(Isolation.READ_COMMITTED.value())
            .withDescription("The data lookup joins see: 'read-committed' (up to the writer's last completed checkpoint) or "
                    + "'read-uncommitted' (every appended write), as read.isolation.");

    public static final ConfigOption<String> COMPRESSION = ConfigOptions.key("compression").stringType().noDefaultValue()
            .withDescription("Short for compression.flush, compression.compacted and compression.bottom together: 'none', 'lz4' or 'zstd'.");

    public static final ConfigOption<String> WRITE_BUFFER_SIZE = ConfigOptions.key("write-buffer-size").stringType().noDefaultValue()
            .withDescription("Short for memtable.size: the size of a bucket's memtable, e.g. '64mb'.");

    public static final ConfigOption<String> FILE_PAGE_SIZE = ConfigOptions.key("file.page-size").stringType()
            .defaultValue(FileLayoutOptions.DEFAULT_PAGE_BYTES / 1024 + "kb")
            .withDescription("The page size of the table's SST files: a page closes once a column holds this many uncompressed bytes, "
                    + "1kb to 8mb (e.g. '4kb'). A point lookup decodes a whole page per column it reads: smaller pages make lookups "
                    + "cheaper, larger ones make scans and compression better. Applies to files written from then on; "
                    + "it may change between runs.");

    public static final ConfigOption<Integer> FILE_PAGE_ROWS = ConfigOptions.key("file.page-rows").intType()
            .defaultValue(FileLayoutOptions.DEFAULT_PAGE_ROWS)
            .withDescription("The most rows in a page of the table's SST files, 16 to 1048576; a page closes at this or "
                    + "file.page-size, whichever it reaches first.");

    /** Flink's 'sink.parallelism': the sink's writers (default: the input's parallelism). Each bucket is written by one of them. */
    public static final ConfigOption<Integer> SINK_PARALLELISM = FactoryUtil.SINK_PARALLELISM;

    /** Flink's 'lookup.cache': 'NONE' (default) or 'PARTIAL'; Floe has no 'FULL' cache. */
    public static final ConfigOption<LookupOptions.LookupCacheType> LOOKUP_CACHE = LookupOptions.CACHE_TYPE;

    /** Flink's 'lookup.partial-cache.max-rows'. */
    public static final ConfigOption<Long> LOOKUP_CACHE_MAX_ROWS = LookupOptions.PARTIAL_CACHE_MAX_ROWS;

    /** Flink's 'lookup.partial-cache.expire-after-write'. */
    public static final ConfigOption<java.time.Duration> LOOKUP_CACHE_EXPIRE_AFTER_WRITE = LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_WRITE;

    /** Flink's 'lookup.partial-cache.expire-after-access'. */
    public static final ConfigOption<java.time.Duration> LOOKUP_CACHE_EXPIRE_AFTER_ACCESS = LookupOptions.PARTIAL_CACHE_EXPIRE_AFTER_ACCESS;

    /** Flink's 'lookup.partial-cache.cache-missing-key'. */
    public static final ConfigOption<Boolean> LOOKUP_CACHE_MISSING_KEY = LookupOptions.PARTIAL_CACHE_CACHE_MISSING_KEY;

    /** The connector's own options (the kernel's table options are checked by the kernel). */
    public static List<ConfigOption<?>> connectorOptions() {
        return List.of(PATH, TABLE_NAME, SCAN_MODE, SCAN_FROM_SEQ, SCAN_FROM_TIMESTAMP, READ_ISOLATION, LOOKUP_ISOLATION, COMPRESSION, WRITE_BUFFER_SIZE,
                SINK_PARALLELISM, LOOKUP_CACHE, LOOKUP_CACHE_MAX_ROWS, LOOKUP_CACHE_EXPIRE_AFTER_WRITE, LOOKUP_CACHE_EXPIRE_AFTER_ACCESS,
                LOOKUP_CACHE_MISSING_KEY);
    }

    /**
     * Table options the kernel parses and checks ({@code TableOptionsCodec}) that are also declared
     * here, with a description, for Flink's factory ({@link FloeTableFactory#optionalOptions}).
     */
    public static List<ConfigOption<?>> declaredTableOptions() {
        return List.of(FILE_PAGE_SIZE, FILE_PAGE_ROWS);
    }

    /** The options Floe takes from Flink's conventions (Flink's types and parsing): checked by {@link ConnectorConfig#parse}, read from the raw options. */
    static List<ConfigOption<?>> flinkOptions() {
        return List.of(SINK_PARALLELISM, LOOKUP_CACHE, LOOKUP_CACHE_MAX_ROWS, LOOKUP_CACHE_EXPIRE_AFTER_WRITE, LOOKUP_CACHE_EXPIRE_AFTER_ACCESS,
                LOOKUP_CACHE_MISSING_KEY);
    }
}
