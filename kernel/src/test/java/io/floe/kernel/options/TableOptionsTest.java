package io.floe.kernel.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.schema.Schema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableOptionsTest {
    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("n", "BIGINT").column("s", "STRING")
            .column("b", "BYTES").primaryKey("id").build();

    @Test
    void defaultsRoundTripThroughTheCodec() {
        TableOptions d = TableOptions.defaults();
        assertThat(TableOptionsCodec.parse(Map.of())).isEqualTo(d);
        assertThat(TableOptionsCodec.parse(TableOptionsCodec.format(d))).isEqualTo(d);
    }

    @Test
    void everyOptionRoundTrips() {
        TableOptions o = TableOptionsCodec.parse(Map.ofEntries(Map.entry("bucket", "8"), Map.entry("memtable.size", "4kb"),
                Map.entry("memtable.max-immutable", "3"), Map.entry("compression.flush", "NONE"), Map.entry("compression.compacted", "zstd"),
                Map.entry("compression.bottom", "lz4"), Map.entry("compression.zstd-level", "9"),
                Map.entry("compaction.sorted-run-trigger", "3"), Map.entry("compaction.max-size-amplification-percent", "50"),
                Map.entry("compaction.size-ratio-percent", "10"), Map.entry("compaction.min-merge-width", "3"),
                Map.entry("compaction.max-merge-width", "7"), Map.entry("merge-engine", "aggregation"),
                Map.entry("fields.n.aggregate-function", "sum"), Map.entry("aggregation.default-function", "last"),
                Map.entry("aggregation.delete", "remove-row"), Map.entry("changelog-producer", "full")));
        assertThat(o.buckets()).isEqualTo(8);
        assertThat(o.writeBuffer()).isEqualTo(new WriteBufferOptions(4096, 3));
        assertThat(o.compression()).isEqualTo(new CompressionOptions(Compression.NONE, Compression.ZSTD, Compression.LZ4, 9));
        assertThat(o.compaction()).isEqualTo(new CompactionOptions(3, 50, 10, 3, 7));
        assertThat(o.mergeEngine()).isEqualTo(MergeEngineOptions.aggregation(Map.of("n", AggregateFunction.SUM), AggregateFunction.LAST,
                AggregationDeletePolicy.REMOVE_ROW));
        assertThat(o.changelogProducer()).isEqualTo(ChangelogProducer.FULL);
        o.validate(SCHEMA);
        assertThat(TableOptionsCodec.parse(TableOptionsCodec.format(o))).isEqualTo(o);
    }

    @Test
    void invalidValuesNameOptionValueAndAllowed() {
        assertInvalid(Map.of("bucket", "0"), "bucket", "0", "1 to 4096");
        assertInvalid(Map.of("bucket", "x"), "bucket", "x", "an integer");
        assertInvalid(Map.of("memtable.size", "1kb"), "memtable.size", "1024", "4 KiB");
        assertInvalid(Map.of("memtable.size", "big"), "memtable.size", "big", "byte size");
        assertInvalid(Map.of("compression.bottom", "gzip"), "compression.bottom", "gzip", "none, lz4, zstd");
        assertInvalid(Map.of("compression.zstd-level", "22"), "compression.zstd-level", "22", "1 to 19");
        assertInvalid(Map.of("compaction.sorted-run-trigger", "1"), "compaction.sorted-run-trigger", "1", "2 to 64");
        assertInvalid(Map.of("compaction.min-merge-width", "5", "compaction.max-merge-width", "4"), "compaction.max-merge-width", "4",
                "min-merge-width (5)");
        assertInvalid(Map.of("merge-engine", "upsert"), "merge-engine", "upsert", "partial-update");
        assertInvalid(Map.of("changelog-producer", "lookup"), "changelog-producer", "lookup", "none, full");
        assertInvalid(Map.of("fields.n.aggregate-function", "avg", "merge-engine", "aggregation"), "fields.n.aggregate-function", "avg",
                "last-non-null");
        assertInvalid(Map.of("fields.n.aggregate-function", "sum"), "fields.n.aggregate-function", "sum", "merge-engine = aggregation");
        assertInvalid(Map.of("compaction.trigger", "3"), "compaction.trigger", "3", "not a table option");
    }

    @Test
    void schemaDependentValidation() {
        assertThatThrownBy(() -> TableOptionsCodec.parse(Map.of("merge-engine", "aggregation", "fields.s.aggregate-function", "sum"))
                .validate(SCHEMA)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("fields.s.aggregate-function")
                .hasMessageContaining("does not support STRING");
        assertThatThrownBy(() -> TableOptionsCodec.parse(Map.of("merge-engine", "aggregation", "fields.id.aggregate-function", "sum"))
                .validate(SCHEMA)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("non-key column");
        assertThatThrownBy(() -> TableOptionsCodec.parse(Map.of("merge-engine", "aggregation", "fields.zz.aggregate-function", "sum"))
                .validate(SCHEMA)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("a column of");
        // the default function must suit every column without its own function: b is BYTES
        assertThatThrownBy(() -> TableOptionsCodec.parse(Map.of("merge-engine", "aggregation", "aggregation.default-function", "max",
                "fields.n.aggregate-function", "sum")).validate(SCHEMA)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("aggregation.default-function").hasMessageContaining("'b'");
    }

    @Test
    void floeOptionsValidate() {
        assertThatThrownBy(() -> new FloeOptions(0, Long.MAX_VALUE)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("background-threads");
        assertThatThrownBy(() -> new FloeOptions(2, 1000)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("memory.limit");
    }

    private static void assertInvalid(Map<String, String> map, String option, String value, String allowed) {
        assertThatThrownBy(() -> TableOptionsCodec.parse(map)).isInstanceOfSatisfying(InvalidOptionException.class,
                e -> assertThat(e.option()).isEqualTo(option)).hasMessageContaining(value).hasMessageContaining(allowed);
    }

    @Test
    void changelogRetentionIsADurationWithAUnit() {
        assertThat(TableOptionsCodec.parse(Map.of("changelog.retention", "30 min")).changelogRetention()).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(TableOptionsCodec.parse(Map.of("changelog.retention", "7d")).changelogRetention()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(TableOptionsCodec.parse(Map.of("changelog.retention", "500 ms")).changelogRetention()).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(TableOptionsCodec.parse(Map.of("changelog.retention", "0")).changelogRetention()).isZero();
        assertThat(TableOptionsCodec.parse(Map.of()).changelogRetention()).isEqualTo(TableOptions.DEFAULT_CHANGELOG_RETENTION);
        for (String bad : new String[] {"5", "-1 h", "an hour", "1 week", ""}) {
            assertThatThrownBy(() -> TableOptionsCodec.parse(Map.of("changelog.retention", bad))).as(bad)
                    .isInstanceOf(InvalidOptionException.class).hasMessageContaining("changelog.retention");
        }
        for (java.time.Duration d : new java.time.Duration[] {java.time.Duration.ZERO, java.time.Duration.ofMillis(1_500),
                java.time.Duration.ofHours(36), java.time.Duration.ofDays(2)}) {
            TableOptions o = TableOptions.defaults().withChangelogRetention(d);
            assertThat(TableOptionsCodec.parse(TableOptionsCodec.format(o))).isEqualTo(o);
        }
    }

    @Test
    void fixedDifferencesNameTheOptionsThatShapeStoredData() {
        TableOptions stored = TableOptionsCodec.parse(Map.of("bucket", "4", "merge-engine", "aggregation", "fields.v.aggregate-function", "sum"));
        TableOptions given = TableOptionsCodec.parse(Map.of("bucket", "2", "merge-engine", "aggregation", "fields.w.aggregate-function", "max",
                "memtable.size", "1mb", "changelog.retention", "1 h"));
        var differences = TableOptionsCodec.fixedDifferences(stored, given);
        assertThat(differences.keySet()).containsExactly("bucket", "fields.v.aggregate-function", "fields.w.aggregate-function");
        assertThat(differences.get("bucket")).containsExactly("4", "2");
        assertThat(differences.get("fields.v.aggregate-function")).containsExactly("sum", null);
        assertThat(TableOptionsCodec.fixedDifferences(stored, stored.withWriteBuffer(given.writeBuffer()))).isEmpty();
    }
}
