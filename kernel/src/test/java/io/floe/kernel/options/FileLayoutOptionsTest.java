package io.floe.kernel.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.InvalidOptionException;
import io.floe.sst.SstOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileLayoutOptionsTest {
    @Test
    void defaultsAreTheSstWritersSoExistingTablesWriteAsBefore() {
        FileLayoutOptions d = FileLayoutOptions.defaults();
        assertThat(d.pageBytes()).isEqualTo(SstOptions.defaults().pageBytes());
        assertThat(d.pageRows()).isEqualTo(SstOptions.defaults().pageRows());
        assertThat(TableOptions.defaults().fileLayout()).isEqualTo(d);
        assertThat(TableOptionsCodec.parse(Map.of()).fileLayout()).isEqualTo(d);
    }

    @Test
    void pageSizeIsAByteSizeAndRoundTrips() {
        TableOptions o = TableOptionsCodec.parse(Map.of("file.page-size", "4kb", "file.page-rows", "256"));
        assertThat(o.fileLayout()).isEqualTo(new FileLayoutOptions(4096, 256));
        assertThat(TableOptionsCodec.format(o)).containsEntry("file.page-size", "4096").containsEntry("file.page-rows", "256");
        assertThat(TableOptionsCodec.parse(TableOptionsCodec.format(o))).isEqualTo(o);
        assertThat(TableOptionsCodec.parse(Map.of("file.page-size", "1 MB")).fileLayout().pageBytes()).isEqualTo(1L << 20);
        assertThat(TableOptionsCodec.parse(Map.of("file.page-size", "1024")).fileLayout().pageBytes()).isEqualTo(1024);
        assertThat(TableOptionsCodec.parse(Map.of("file.page-size", "8mb", "file.page-rows", "1048576")).fileLayout())
                .isEqualTo(new FileLayoutOptions(8L << 20, 1 << 20));
        assertThat(TableOptionsCodec.parse(Map.of("file.page-rows", "16")).fileLayout()).isEqualTo(new FileLayoutOptions(64L << 10, 16));
        TableOptions with = TableOptions.defaults().withBuckets(3).withFileLayout(new FileLayoutOptions(2048, 32));
        assertThat(with.buckets()).isEqualTo(3);
        assertThat(with.withBuckets(5).fileLayout()).isEqualTo(new FileLayoutOptions(2048, 32));
        assertThat(TableOptionsCodec.parse(TableOptionsCodec.format(with))).isEqualTo(with);
    }

    @Test
    void outOfRangeValuesNameKeyRangeAndValue() {
        assertInvalid(Map.of("file.page-size", "1023"), "file.page-size", "1023", "1024 (1 KiB) to 8388608 (8 MiB)");
        assertInvalid(Map.of("file.page-size", "16mb"), "file.page-size", "16777216", "8 MiB");
        assertInvalid(Map.of("file.page-size", "0"), "file.page-size", "0", "1 KiB");
        assertInvalid(Map.of("file.page-size", "-4kb"), "file.page-size", "-4096", "1 KiB");
        assertInvalid(Map.of("file.page-size", "small"), "file.page-size", "small", "a byte size");
        assertInvalid(Map.of("file.page-size", "9999999999gb"), "file.page-size", "9999999999gb", "a byte size");
        assertInvalid(Map.of("file.page-rows", "15"), "file.page-rows", "15", "16 to 1048576");
        assertInvalid(Map.of("file.page-rows", "1048577"), "file.page-rows", "1048577", "16 to 1048576");
        assertInvalid(Map.of("file.page-rows", "64k"), "file.page-rows", "64k", "an integer");
        assertInvalid(Map.of("file.page-bytes", "4kb"), "file.page-bytes", "4kb", "not a table option");
        assertThatThrownBy(() -> new FileLayoutOptions(512, 64)).isInstanceOf(InvalidOptionException.class).hasMessageContaining("file.page-size");
        assertThatThrownBy(() -> TableOptions.defaults().withFileLayout(null)).isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("file.*");
    }

    @Test
    void pageSizeIsNotFixedAtCreation() {
        assertThat(TableOptionsCodec.isFixed("file.page-size")).isFalse();
        assertThat(TableOptionsCodec.isFixed("file.page-rows")).isFalse();
        TableOptions stored = TableOptions.defaults();
        assertThat(TableOptionsCodec.fixedDifferences(stored, stored.withFileLayout(new FileLayoutOptions(4096, 16)))).isEmpty();
    }

    private static void assertInvalid(Map<String, String> map, String option, String value, String allowed) {
        assertThatThrownBy(() -> TableOptionsCodec.parse(map)).isInstanceOfSatisfying(InvalidOptionException.class,
                e -> assertThat(e.option()).isEqualTo(option)).hasMessageContaining(value).hasMessageContaining(allowed);
    }
}
