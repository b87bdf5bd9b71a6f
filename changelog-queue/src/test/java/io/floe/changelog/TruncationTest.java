package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.TestRecords.Rec;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Releasing whole files below a seq, with tailers that still need some of them. */
class TruncationTest {
    private static final long PERIOD = RollPeriod.FIVE_MINUTELY.millis();

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L / PERIOD * PERIOD);

    private ChangelogOptions options() {
        return TestRecords.smallOptions(dir.resolve("c")).withRollPeriod(RollPeriod.FIVE_MINUTELY).withClockMillis(clock::get);
    }

    private long files() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("c"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    /** Writes 4 files of 10 records each: seqs 1-10, 11-20, 21-30, 31-40. */
    private List<Rec> fourFiles(ChangelogWriter writer, SplittableRandom random) {
        List<Rec> recs = new ArrayList<>();
        for (int file = 0; file < 4; file++) {
            for (int i = 1; i <= 10; i++) {
                Rec rec = TestRecords.random(random, file * 10 + i, 50);
                TestRecords.append(writer, random, rec);
                recs.add(rec);
            }
            clock.addAndGet(PERIOD);
        }
        writer.commit(1);
        return recs;
    }

    @Test
    void releasesWholeFilesBelowTheSeqButNeverTheNewest() throws IOException {
        SplittableRandom random = Seeds.random("TruncationTest.releases");
        try (ChangelogWriter writer = ChangelogWriter.open(options())) {
            List<Rec> recs = fourFiles(writer, random);
            assertThat(files()).isEqualTo(4);
            // Seq 25 lies in the third file: only the first two are wholly below it.
            ReleaseReport report = writer.releaseBelow(25);
            assertThat(report.filesReleased()).isEqualTo(2);
            assertThat(report.releasedSeq()).isEqualTo(20);
            assertThat(files()).isEqualTo(2);
            assertThat(writer.releasedSeq()).isEqualTo(20);
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
                assertThat(TestRecords.drain(tailer)).isEqualTo(recs.subList(20, 40));
            }
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromSeq(33))) {
                assertThat(TestRecords.drain(tailer)).isEqualTo(recs.subList(32, 40));
            }
            assertThatThrownBy(() -> writer.newTailer(TailerOptions.fromSeq(20))).isInstanceOf(SeqReleasedException.class);
            // Everything below: still keeps the newest file.
            assertThat(writer.releaseBelow(Long.MAX_VALUE).filesReleased()).isEqualTo(1);
            assertThat(files()).isEqualTo(1);
        }
        try (ChangelogWriter writer = ChangelogWriter.open(options())) {
            assertThat(writer.lastSeq()).isEqualTo(40);
            assertThat(writer.releasedSeq()).isEqualTo(30);
            assertThat(writer.recovery().releasedSeq()).isEqualTo(30);
        }
    }

    @Test
    void retentionKeepsFilesWhoseRollPeriodEndedTooRecently() throws IOException {
        SplittableRandom random = Seeds.random("TruncationTest.retention");
        try (ChangelogWriter writer = ChangelogWriter.open(options())) {
            List<Rec> recs = fourFiles(writer, random);
            // The clock is 4 periods past the first file's start: files end 3, 2, 1 and 0 periods ago.
            assertThat(writer.releaseBelow(Long.MAX_VALUE, java.time.Duration.ofMillis(PERIOD * 5 / 2)).filesReleased())
                    .as("only the file that ended 3 periods ago is older than 2.5 periods").isEqualTo(1);
            assertThat(writer.releaseBelow(Long.MAX_VALUE, java.time.Duration.ofMillis(PERIOD * 5 / 2)).filesReleased()).isZero();
            assertThat(writer.releaseBelow(15, java.time.Duration.ZERO).filesReleased()).as("the seq still bounds it").isZero();
            assertThat(writer.releaseBelow(21, java.time.Duration.ZERO).filesReleased()).isEqualTo(1);
            assertThat(writer.releaseBelow(Long.MAX_VALUE, java.time.Duration.ofDays(365)).filesReleased()).isZero();
            try (ChangelogTailer tailer = writer.newTailer(TailerOptions.fromStart())) {
                assertThat(TestRecords.drain(tailer)).isEqualTo(recs.subList(20, 40));
            }
        }
    }

    @Test
    void aLiveTailerKeepsTheFilesItStillNeeds() throws IOException {
        SplittableRandom random = Seeds.random("TruncationTest.pins");
        try (ChangelogWriter writer = ChangelogWriter.open(options())) {
            List<Rec> recs = fourFiles(writer, random);
            ChangelogTailer slow = writer.newTailer(TailerOptions.fromStart());
            for (int i = 0; i < 5; i++) {
                assertThat(TestRecords.copy(slow.poll())).isEqualTo(recs.get(i));
            }
            ReleaseReport report = writer.releaseBelow(35);
            assertThat(report.filesReleased()).isZero();
            assertThat(report.keptForTailer()).isTrue();
            assertThat(files()).isEqualTo(4);
            // The tailer moves into the second file: the first can go, the second stays.
            for (int i = 5; i < 15; i++) {
                assertThat(TestRecords.copy(slow.poll())).isEqualTo(recs.get(i));
            }
            report = writer.releaseBelow(35);
            assertThat(report.filesReleased()).isEqualTo(1);
            assertThat(report.keptForTailer()).isTrue();
            assertThat(files()).isEqualTo(3);
            assertThat(TestRecords.drain(slow)).isEqualTo(recs.subList(15, 40));
            slow.close();
            assertThat(writer.releaseBelow(35).filesReleased()).isEqualTo(2);
            assertThat(files()).isEqualTo(1);
        }
    }
}
