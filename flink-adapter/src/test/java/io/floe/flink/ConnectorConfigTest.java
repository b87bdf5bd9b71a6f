package io.floe.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.InvalidOptionException;
import io.floe.flink.FloeConnectorOptions.Isolation;
import io.floe.flink.FloeConnectorOptions.ScanMode;
import io.floe.kernel.options.ChangelogProducer;
import io.floe.kernel.options.Compression;
import io.floe.kernel.options.FileLayoutOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {
    @Test
    void validOptionsParseWithDefaultsAndShortForms() {
        ConnectorConfig c = ConnectorConfig.parse(Map.of("connector", "floe", "path", "/data/floe", "bucket", "4", "compression", "zstd",
                "write-buffer-size", "8mb", "changelog-producer", "full", "scan.mode", "from-seq", "scan.from-seq", "42"), "orders");
        assertThat(c.tableName()).isEqualTo("orders");
        assertThat(c.scanMode()).isEqualTo(ScanMode.FROM_SEQ);
        assertThat(c.fromSeq()).hasValue(42);
        assertThat(c.readIsolation()).isEqualTo(Isolation.READ_COMMITTED);
        assertThat(c.tableOptions().buckets()).isEqualTo(4);
        assertThat(c.tableOptions().compression().bottom()).isEqualTo(Compression.ZSTD);
        assertThat(c.tableOptions().writeBuffer().memtableBytes()).isEqualTo(8L << 20);
        assertThat(c.tableOptions().changelogProducer()).isEqualTo(ChangelogProducer.FULL);
    }

    @Test
    void badOptionsNameTheOptionAndWhatIsAllowed() {
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("connector", "floe"), "t")).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'path'").hasMessageContaining("required");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "scan.mode", "earliest"), "t"))
                .hasMessageContaining("'scan.mode'").hasMessageContaining("'full', 'latest', 'from-seq', 'from-timestamp'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "scan.mode", "from-seq"), "t")).hasMessageContaining("'scan.from-seq'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "scan.from-seq", "5"), "t")).hasMessageContaining("only with 'scan.mode' = 'from-seq'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "read.isolation", "serializable"), "t"))
                .hasMessageContaining("'read-committed', 'read-uncommitted'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "buckets", "4"), "t")).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'buckets'").hasMessageContaining("connector options: path").hasMessageContaining("bucket,");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "merge-engine", "last-wins"), "t")).hasMessageContaining("merge-engine");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "bucket", "0"), "t")).hasMessageContaining("'bucket'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "compression", "lz4", "compression.bottom", "zstd"), "t"))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "table-name", "../x"), "t")).hasMessageContaining("'table-name'");
    }

    @Test
    void pageSizeOptionsReachTheTableOptionsOrSayWhatIsAllowed() {
        ConnectorConfig c = ConnectorConfig.parse(Map.of("path", "/d", "file.page-size", "4kb", "file.page-rows", "256"), "t");
        assertThat(c.tableOptions().fileLayout()).isEqualTo(new FileLayoutOptions(4096, 256));
        assertThat(ConnectorConfig.parse(Map.of("path", "/d"), "t").tableOptions().fileLayout()).isEqualTo(FileLayoutOptions.defaults());
        // The declared Flink defaults are the kernel's.
        assertThat(ConnectorConfig.parse(Map.of("path", "/d", "file.page-size", FloeConnectorOptions.FILE_PAGE_SIZE.defaultValue(),
                "file.page-rows", FloeConnectorOptions.FILE_PAGE_ROWS.defaultValue().toString()), "t").tableOptions().fileLayout())
                .isEqualTo(FileLayoutOptions.defaults());
        assertThat(new FloeTableFactory().optionalOptions()).contains(FloeConnectorOptions.FILE_PAGE_SIZE, FloeConnectorOptions.FILE_PAGE_ROWS);
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "file.page-size", "512b"), "t"))
                .isInstanceOfSatisfying(InvalidOptionException.class, e -> assertThat(e.option()).isEqualTo("file.page-size"))
                .hasMessageContaining("512").hasMessageContaining("1 KiB").hasMessageContaining("8 MiB");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "file.page-size", "tiny"), "t"))
                .hasMessageContaining("'file.page-size'").hasMessageContaining("a byte size such as 4096, 4kb");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "file.page-rows", "8"), "t"))
                .hasMessageContaining("'file.page-rows'").hasMessageContaining("16 to 1048576");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "page-size", "4kb"), "t"))
                .hasMessageContaining("not an option of 'connector' = 'floe'").hasMessageContaining("file.page-size");
    }

    @Test
    void flinkConventionOptionsAreCheckedAsFlinkParsesThem() {
        ConnectorConfig.parse(Map.of("path", "/d", "sink.parallelism", "3", "lookup.cache", "PARTIAL", "lookup.partial-cache.max-rows", "10",
                "lookup.partial-cache.expire-after-write", "10 s", "lookup.partial-cache.cache-missing-key", "false"), "t");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "sink.parallelism", "0"), "t")).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("'sink.parallelism'").hasMessageContaining("positive");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "sink.parallelism", "two"), "t")).hasMessageContaining("'sink.parallelism'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "lookup.cache", "FULL"), "t")).hasMessageContaining("'NONE' or 'PARTIAL'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "lookup.cache", "PARTIAL"), "t"))
                .hasMessageContaining("'lookup.partial-cache.max-rows'");
        assertThatThrownBy(() -> ConnectorConfig.parse(Map.of("path", "/d", "lookup.partial-cache.expire-after-write", "soon"), "t"))
                .hasMessageContaining("'lookup.partial-cache.expire-after-write'");
    }
}
