package io.floe.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, short: ODS and DWS agree, rows were written, freshness was measured; a second run reuses the store. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aShortDemoEndsConsistentAndCanRunTwice() throws Exception {
        for (int run = 0; run < 2; run++) {
            StringWriter text = new StringWriter();
            Warehouse.Summary s = new Warehouse(dir, 5, 400, false, false, new PrintWriter(text, true)).run();
            assertThat(s.odsMatchesDws()).as(text.toString()).isTrue();
            assertThat(s.odsMatchesGenerator()).as("generator:\n%s", text).isTrue();
            assertThat(s.consistent()).isTrue();
            assertThat(s.generated()).isEqualTo(2000);
            assertThat(s.odsRows()).isPositive();
            assertThat(s.regions()).isEqualTo(OrderChanges.REGIONS.length);
            assertThat(s.freshnessSamples()).isPositive();
            assertThat(text.toString()).contains("consistency  ODS vs DWS: agree", "demo OK");
        }
    }
}
