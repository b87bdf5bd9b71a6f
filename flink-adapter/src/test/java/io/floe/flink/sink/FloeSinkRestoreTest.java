package io.floe.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.IsolationLevel;
import io.floe.common.schema.Schema;
import io.floe.flink.FloeStores;
import io.floe.flink.ReadSpec;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.table.data.GenericRowData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's restore-commit window, driven the way Flink drives a writer and a committer, without a
 * cluster: checkpoint 2 completes, the process dies before its committer runs, checkpoint 3 never
 * completes; the restored writer and the committer's retry must together keep exactly checkpoints 1
 * and 2, in either order, and abort checkpoint 3.
 */
class FloeSinkRestoreTest {
    private static final Schema SCHEMA = Schema.builder().column("id", "BIGINT NOT NULL").column("v", "BIGINT").primaryKey("id").build();

    @TempDir
    Path dir;

    private ReadSpec spec() {
        return ReadSpec.of(Map.of("path", dir.toString(), "bucket", "1"), "orders", SCHEMA);
    }

    @AfterEach
    void noStoreLeftOpen() {
        assertThat(FloeStores.openStores()).isZero();
    }

    private static void write(FloeSinkWriter writer, long from, long to) {
        for (long id = from; id <= to; id++) {
            writer.write(GenericRowData.of(id, id * 10, 0), null);
        }
    }

    private static List<CommitRequest<FloeCommittable>> requests(Collection<FloeCommittable> committables) {
        List<CommitRequest<FloeCommittable>> out = new ArrayList<>();
        for (FloeCommittable c : committables) {
            out.add(new Request(c));
        }
        return out;
    }

    /** Runs checkpoints 1 (committed), 2 (completed, never committed) and 3 (never completed); returns checkpoint 2's writer state and committables. */
    private List<List<FloeCommittable>> runUntilTheCrash() {
        FloeSinkWriter writer = new FloeSinkWriter(spec(), false, List.of());
        FloeSinkCommitter committer = new FloeSinkCommitter(spec());
        try {
            write(writer, 0, 99);
            Collection<FloeCommittable> first = writer.prepareCommit();
            writer.snapshotState(1);
            committer.commit(requests(first));
            write(writer, 100, 199);
            List<FloeCommittable> second = new ArrayList<>(writer.prepareCommit());
            List<FloeCommittable> state = writer.snapshotState(2);
            write(writer, 200, 299);
            writer.prepareCommit();
            writer.snapshotState(3);
            return List.of(state, second);
        } finally {
            writer.close();
            committer.close();
        }
    }

    private TreeMap<Long, Long> committedRows() {
        TreeMap<Long, Long> rows = new TreeMap<>();
        try (FloeStores.Lease lease = spec().acquire(); Snapshot s = lease.table().snapshot(IsolationLevel.READ_COMMITTED);
             RowScan scan = s.scan(0, ScanOptions.all())) {
            while (scan.next()) {
                rows.put(scan.row().getLong(0), scan.row().getLong(1));
            }
        }
        return rows;
    }

    private static TreeMap<Long, Long> expected(long[]... ranges) {
        TreeMap<Long, Long> rows = new TreeMap<>();
        for (long[] r : ranges) {
            for (long id = r[0]; id <= r[1]; id++) {
                rows.put(id, id * 10);
            }
        }
        return rows;
    }

    @Test
    void theRestoredWriterCommitsTheCompletedCheckpointAndTheCommittersRetryIsANoOp() throws Exception {
        List<List<FloeCommittable>> crash = runUntilTheCrash();
        assertThat(FloeStores.openStores()).as("the crash closed the store").isZero();
        FloeSinkWriter writer = new FloeSinkWriter(spec(), false, crash.get(0));
        FloeSinkCommitter committer = new FloeSinkCommitter(spec());
        try {
            write(writer, 300, 349);
            committer.commit(requests(crash.get(1)));
            committer.commit(requests(writer.prepareCommit()));
        } finally {
            writer.close();
            committer.close();
        }
        assertThat(committedRows()).isEqualTo(expected(new long[] {0, 199}, new long[] {300, 349}));
    }

    @Test
    void theCommittersRetryMayRunBeforeTheRestoredWriterOpensTheBucket() throws Exception {
        List<List<FloeCommittable>> crash = runUntilTheCrash();
        FloeSinkCommitter committer = new FloeSinkCommitter(spec());
        FloeSinkWriter writer = new FloeSinkWriter(spec(), false, crash.get(0));
        try {
            committer.commit(requests(crash.get(1)));
            assertThat(committedRows()).isEqualTo(expected(new long[] {0, 199}));
            write(writer, 300, 349);
            committer.commit(requests(writer.prepareCommit()));
        } finally {
            writer.close();
            committer.close();
        }
        assertThat(committedRows()).isEqualTo(expected(new long[] {0, 199}, new long[] {300, 349}));
    }

    @Test
    void aFreshJobAbortsWhatAnEarlierJobLeftUncommitted() throws Exception {
        runUntilTheCrash();
        FloeSinkWriter writer = new FloeSinkWriter(spec(), false, List.of());
        FloeSinkCommitter committer = new FloeSinkCommitter(spec());
        try {
            write(writer, 1_000, 1_009);
            committer.commit(requests(writer.prepareCommit()));
        } finally {
            writer.close();
            committer.close();
        }
        assertThat(committedRows()).isEqualTo(expected(new long[] {0, 99}, new long[] {1_000, 1_009}));
    }

    /** A commit request that must succeed: any signal of failure or retry fails the test. */
    private record Request(FloeCommittable committable) implements CommitRequest<FloeCommittable> {
        @Override
        public FloeCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            throw new AssertionError("commit failed", t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            throw new AssertionError("commit failed", t);
        }

        @Override
        public void retryLater() {
            throw new AssertionError("retry requested");
        }

        @Override
        public void updateAndRetryLater(FloeCommittable committable) {
            throw new AssertionError("retry requested");
        }

        @Override
        public void signalAlreadyCommitted() {
            // Fine: a retried commit may find its work done.
        }
    }
}
