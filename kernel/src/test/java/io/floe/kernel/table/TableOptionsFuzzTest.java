package io.floe.kernel.table;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.InvalidOptionException;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for a table's stored options: the input is the body of an {@code options} file (the
 * {@code key=value} lines), written with a valid version line and checksum so that it reaches
 * {@link TableFiles#readOptions} and {@link TableOptionsCodec#parse}. The only acceptable outcomes:
 * options that format and parse back to themselves, a {@link CorruptionException} or an
 * {@link InvalidOptionException}; anything else is a finding.
 *
 * Seeds and saved findings: {@code src/test/resources/io/floe/kernel/table/TableOptionsFuzzTestInputs/optionsFile/};
 * {@code mvn -Pfuzz -pl kernel test -Dtest='TableOptionsFuzzTest#optionsFile'} fuzzes it.
 */
class TableOptionsFuzzTest {
    private static TableLayout layout;

    @FuzzTest(maxDuration = "5m")
    void optionsFile(byte[] data) {
        String text = TableFiles.OPTIONS_VERSION_LINE + "\n" + new String(data, StandardCharsets.UTF_8);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        String file = text + String.format("crc32c %08x%n", Checksums.crc32c(body, 0, body.length));
        TableOptions options;
        try {
            options = TableFiles.readOptions(write(file));
        } catch (CorruptionException | InvalidOptionException expected) {
            return;
        }
        TableOptions again = TableOptionsCodec.parse(TableOptionsCodec.format(options));
        if (!again.equals(options)) {
            throw new AssertionError("options do not round-trip: " + options + " became " + again);
        }
    }

    private static TableLayout write(String text) {
        try {
            if (layout == null) {
                Path dir = Files.createTempDirectory("options-fuzz");
                dir.toFile().deleteOnExit();
                layout = new TableLayout(dir);
                layout.optionsFile().toFile().deleteOnExit();
            }
            Files.writeString(layout.optionsFile(), text, StandardCharsets.UTF_8);
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
