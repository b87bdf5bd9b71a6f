package io.floe.kernel.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.error.CorruptionException;
import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit-time log against a list model: random commits, lookups at random times, reopen, torn tails, damage. */
class CommitTimesTest {
    @TempDir
    Path dir;

    /** The model: the first seq committed at or after {@code millis}, from (millis, seq) entries in order. */
    private static long model(List<long[]> entries, long millis) {
        long start = 0;
        for (long[] e : entries) {
            if (e[0] < millis) {
                start = e[1] + 1;
            }
        }
        return start;
    }

    @Test
    void aTrimDropsOnlyEntriesThatDateReleasedChangesAndSurvivesReopen() {
        SplittableRandom r = Seeds.random("CommitTimesTest.trim");
        Path file = dir.resolve("commit-times");
        List<long[]> entries = new ArrayList<>();
        long millis = 1_000;
        long seq = 0;
        try (CommitTimes log = CommitTimes.open(file)) {
            for (int i = 0; i < 3 * CommitTimes.MIN_TRIM_ENTRIES; i++) {
                millis += r.nextInt(1, 10);
                seq += r.nextInt(1, 5);
                log.record(millis, seq);
                entries.add(new long[] {millis, seq});
            }
            // Too few entries below a small released seq: nothing is rewritten.
            assertThat(log.trimBelow(entries.get(10)[1])).isZero();
            assertThat(log.entries()).isEqualTo(entries.size());

            int firstKept = (int) (2 * CommitTimes.MIN_TRIM_ENTRIES + r.nextInt(100));
            long releasedSeq = entries.get(firstKept)[1];
            assertThat(log.trimBelow(releasedSeq)).isEqualTo(firstKept);
            assertThat(log.entries()).isEqualTo(entries.size() - firstKept);
            assertThat(dir.resolve("commit-times.tmp")).doesNotExist();
            checkAfterTrim(log, entries, firstKept, releasedSeq, r);
            // Appends go on after a trim.
            log.record(millis + 5, seq + 1);
            entries.add(new long[] {millis + 5, seq + 1});
            assertThat(log.firstSeqCommittedFrom(millis + 5)).isEqualTo(seq + 1);
        }
        try (CommitTimes log = CommitTimes.open(file)) {
            int firstKept = entries.size() - (int) log.entries();
            checkAfterTrim(log, entries, firstKept, entries.get(firstKept)[1], r);
        }
    }

    /** Lookups at or after the first kept commit answer as before; earlier ones answer a released seq or 0. */
    private static void checkAfterTrim(CommitTimes log, List<long[]> entries, int firstKept, long releasedSeq, SplittableRandom r) {
        long keptFrom = entries.get(firstKept)[0];
        long last = entries.get(entries.size() - 1)[0];
        for (int i = 0; i < 2_000; i++) {
            long at = r.nextLong(0, last + 10);
            long got = log.firstSeqCommittedFrom(at);
            if (at > keptFrom) {
                assertThat(got).as("at %d", at).isEqualTo(model(entries, at));
            } else {
                assertThat(got).as("at %d (before the kept entries)", at).isLessThanOrEqualTo(releasedSeq);
                assertThat(model(entries, at)).isLessThanOrEqualTo(releasedSeq);
            }
        }
    }

    @Test
    void lookupsMatchTheModelAcrossReopens() {
        SplittableRandom r = Seeds.random("CommitTimesTest.model");
        Path file = dir.resolve("commit-times");
        List<long[]> entries = new ArrayList<>();
        long millis = 1_000;
        long seq = 0;
        for (int round = 0; round < 3; round++) {
            try (CommitTimes log = CommitTimes.open(file)) {
                assertThat(log.entries()).isEqualTo(entries.size());
                for (int i = 0; i < 300; i++) {
                    millis += r.nextInt(3) == 0 ? 0 : r.nextInt(1, 50);
                    long next = r.nextInt(5) == 0 ? seq : seq + r.nextInt(1, 20);
                    log.record(millis, next);
                    if (next > seq) {
                        entries.add(new long[] {millis, next});
                        seq = next;
                    }
                }
                for (int i = 0; i < 500; i++) {
                    long at = r.nextLong(0, millis + 100);
                    assertThat(log.firstSeqCommittedFrom(at)).as("at %d", at).isEqualTo(model(entries, at));
                }
            }
        }
    }

    @Test
    void aClockThatGoesBackIsClampedSoTimesNeverDecrease() {
        try (CommitTimes log = CommitTimes.open(dir.resolve("commit-times"))) {
            log.record(5_000, 10);
            log.record(4_000, 20); // recorded at 5,000
            log.record(6_000, 30);
            assertThat(log.firstSeqCommittedFrom(5_000)).isEqualTo(0);
            assertThat(log.firstSeqCommittedFrom(5_001)).as("both commits at 5,000 are before").isEqualTo(21);
            assertThat(log.firstSeqCommittedFrom(7_000)).isEqualTo(31);
        }
    }

    @Test
    void aTornTailIsCutBackToTheLastWholeEntry() throws IOException {
        Path file = dir.resolve("commit-times");
        try (CommitTimes log = CommitTimes.open(file)) {
            for (int i = 1; i <= 10; i++) {
                log.record(i * 100L, i * 10L);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(9 * CommitTimesLayout.ENTRY + 7); // entry 10 torn
        }
        try (CommitTimes log = CommitTimes.open(file)) {
            assertThat(log.entries()).isEqualTo(9);
            assertThat(Files.size(file)).isEqualTo(9L * CommitTimesLayout.ENTRY);
            assertThat(log.firstSeqCommittedFrom(10_000)).isEqualTo(91);
            log.record(1_000, 100);
            assertThat(log.firstSeqCommittedFrom(10_000)).isEqualTo(101);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(9 * CommitTimesLayout.ENTRY + 3); // the last entry's time: a bad CRC
            raf.write(0x7f);
        }
        try (CommitTimes log = CommitTimes.open(file)) {
            assertThat(log.entries()).as("a last entry that fails its CRC is a torn tail").isEqualTo(9);
        }
    }

    @Test
    void aDamagedEntryInTheMiddleIsACorruptionNamingFileAndOffset() throws IOException {
        Path file = dir.resolve("commit-times");
        try (CommitTimes log = CommitTimes.open(file)) {
            for (int i = 1; i <= 16; i++) {
                log.record(i * 100L, i * 10L);
            }
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(7 * CommitTimesLayout.ENTRY + 9);
            raf.write(0x55);
        }
        try (CommitTimes log = CommitTimes.open(file)) {
            assertThatThrownBy(() -> log.firstSeqCommittedFrom(850)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(Long.toString(7L * CommitTimesLayout.ENTRY));
        }
    }
}
