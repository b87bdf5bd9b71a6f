package io.floe.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SeqReleasedException;
import io.floe.changelog.SyncMode;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowWriter;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flushes release the changelog files that are flushed and older than {@code changelog.retention}, and only those. */
class ChangelogRetentionTest {
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    /** A manual clock at the start of an hour (the changelog rolls a file per hour). */
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L / HOUR * HOUR);
    private final OffHeapAllocator scratch = new OffHeapAllocator("test rows", Long.MAX_VALUE);
    private final RowWriter row = new RowWriter(CrashLoopTest.SCHEMA, scratch);

    @AfterEach
    void free() {
        row.close();
        scratch.close();
    }

    private Floe open() {
        return Floe.open(dir, FloeOptions.defaults().withClockMillis(clock::get), SyncMode.NONE);
    }

    private static TableOptions options(Duration retention) {
        return TableOptions.defaults().withBuckets(1).withChangelogRetention(retention);
    }

    private long changelogFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("t").resolve("bucket-0").resolve("changelog"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    /** Writes ids [from, to] as one hour's worth of changes, commits, and moves the clock on an hour. */
    private void hour(BucketWriter w, long from, long to) {
        for (long id = from; id <= to; id++) {
            row.reset().setAll(id, id, 1L);
            row.complete();
            w.upsert(row.buffer(), 0, row.length());
        }
        w.commit(to);
        clock.addAndGet(HOUR);
    }

    private static long count(Table t) {
        long n = 0;
        try (Snapshot s = t.snapshot(IsolationLevel.READ_COMMITTED); RowScan scan = s.scan(0, ScanOptions.all())) {
            while (scan.next()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aFlushReleasesFlushedFilesOlderThanTheRetentionAndKeepsTheRest() throws IOException {
        try (Floe floe = open()) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, options(Duration.ofMinutes(90)));
            try (BucketWriter w = t.writer(0)) {
                hour(w, 0, 99);
                hour(w, 100, 199);
                hour(w, 200, 299);
                hour(w, 300, 399);
                assertThat(changelogFiles()).isEqualTo(4);
                w.flush();
                // Files of hours 1..4 ended 3, 2, 1 and 0 hours ago: those older than 90 minutes go.
                assertThat(changelogFiles()).isEqualTo(2);
                assertThatThrownBy(() -> t.tail(0, 0, IsolationLevel.READ_COMMITTED)).isInstanceOf(SeqReleasedException.class);
                hour(w, 400, 499);
            }
            assertThat(count(t)).isEqualTo(500);
        }
        try (Floe floe = open()) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, options(Duration.ofMinutes(90)));
            assertThat(count(t)).as("recovery replays the unflushed hour from the files kept").isEqualTo(500);
        }
    }

    @Test
    void nothingUnflushedIsReleasedWhateverTheRetention() throws IOException {
        try (Floe floe = open()) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, options(Duration.ZERO));
            try (BucketWriter w = t.writer(0)) {
                hour(w, 0, 99);
                w.flush();
                hour(w, 100, 199);
                hour(w, 200, 299);
                w.flush();
                assertThat(changelogFiles()).as("the newest file always stays").isEqualTo(1);
                hour(w, 300, 399);
                hour(w, 400, 499);
                assertThat(changelogFiles()).as("no flush since: nothing released").isEqualTo(3);
            }
        }
        try (Floe floe = open()) {
            assertThat(count(floe.table("t", CrashLoopTest.SCHEMA, options(Duration.ZERO)))).isEqualTo(500);
        }
    }

    @Test
    void aTimestampMapsToTheFirstSeqCommittedAtOrAfterIt() {
        long start = clock.get();
        try (Floe floe = open()) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, options(TableOptions.DEFAULT_CHANGELOG_RETENTION));
            try (BucketWriter w = t.writer(0)) {
                hour(w, 0, 99);     // committed at start: seqs 1..100
                hour(w, 100, 199);  // committed an hour later: seqs 101..200
            }
            assertThat(t.firstSeqCommittedFrom(0, start)).isZero();
            assertThat(t.firstSeqCommittedFrom(0, start + 1)).isEqualTo(101);
            assertThat(t.firstSeqCommittedFrom(0, start + HOUR)).isEqualTo(101);
            assertThat(t.firstSeqCommittedFrom(0, start + HOUR + 1)).isEqualTo(201);
        }
        try (Floe floe = open()) {
            Table t = floe.table("t", CrashLoopTest.SCHEMA, options(TableOptions.DEFAULT_CHANGELOG_RETENTION));
            assertThat(t.firstSeqCommittedFrom(0, start + 1)).as("after reopening").isEqualTo(101);
        }
    }
}
