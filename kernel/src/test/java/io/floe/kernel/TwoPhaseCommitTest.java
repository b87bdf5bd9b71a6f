package io.floe.kernel;

import static io.floe.kernel.CountedWrites.expected;
import static io.floe.kernel.CountedWrites.range;
import static io.floe.kernel.CountedWrites.rows;
import static io.floe.kernel.CountedWrites.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.changelog.IsolationLevel;
import io.floe.changelog.SyncMode;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.RecoveryPolicy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepareCommit / commitPrepared / Table.commit and the recovery policies, in the default sync mode (FSYNC_ON_COMMIT). */
class TwoPhaseCommitTest {
    @TempDir
    Path dir;

    private final CountedWrites writes = new CountedWrites();

    @AfterEach
    void free() {
        writes.close();
    }

    private Floe open(RecoveryPolicy policy) {
        return CountedWrites.open(dir, policy);
    }

    @Test
    void aPreparedCommitIsInvisibleUntilCommittedAndPublishesOnlyUpToItsSeq() throws Exception {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            BucketWriter w = t.writer(0);
            assertThat(w.prepareCommit(1)).as("a fresh bucket prepares nothing").isEqualTo(-1);
            writes.write(w, 0, 99);
            long seq = w.prepareCommit(1);
            assertThat(seq).isEqualTo(100);
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEmpty();
            writes.write(w, 100, 149);
            assertThat(CompletableFuture.supplyAsync(() -> t.commit(0, 1, seq)).get()).as("a committer thread").isEqualTo(100);
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 99));
            assertThat(w.commitPrepared(1, 150)).as("same id: no-op").isEqualTo(100);
            assertThat(w.commitPrepared(0, 150)).as("older id: no-op").isEqualTo(100);
            assertThatThrownBy(() -> w.commitPrepared(2, 150)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 150").hasMessageContaining("last prepared seq is 100");
            assertThatThrownBy(() -> t.commit(0, 2, 1_000)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("seq 1000");
            assertThat(w.commit(2)).as("one-step commit: everything").isEqualTo(150);
            assertThat(w.lastCommittedCheckpoint()).isEqualTo(2);
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 149));
            w.close();
        }
    }

    @Test
    void abortUncommittedDropsEverythingAfterTheLastCommitFromMemtablesSstsAndTailers() {
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            try (BucketWriter w = t.writer(0)) {
                writes.write(w, 0, 2_999);
                long seq = w.prepareCommit(1);
                writes.write(w, 3_000, 4_999);
                w.commitPrepared(1, seq);
                w.flush();
                assertThat(t.stats(0).sortedRuns()).as("committed memtables were flushed").isPositive();
                writes.write(w, 5_000, 5_999);
                w.prepareCommit(2);
                w.flush();
                assertThat(rows(t)).isEqualTo(expected(5_999));
            }
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(2_999));
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 2_999));
            assertThat(writes.tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 2_999));
            try (BucketWriter w = t.writer(0)) {
                assertThatThrownBy(() -> w.commitPrepared(3, 4_000)).as("an aborted seq")
                        .isInstanceOf(IllegalArgumentException.class);
                writes.write(w, 3_000, 3_499);
                assertThat(w.commit(3)).as("new seqs continue above the aborted ones").isGreaterThan(6_000);
            }
        }
        try (Floe floe = open(RecoveryPolicy.ABORT_UNCOMMITTED)) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(3_499));
            assertThat(writes.tailValues(t, IsolationLevel.READ_UNCOMMITTED)).isEqualTo(range(0, 3_499));
        }
    }

    @Test
    void theDefaultPolicyKeepsUncommittedWrites() {
        try (Floe floe = Floe.open(dir, FloeOptions.defaults()); BucketWriter w = table(floe).writer(0)) {
            writes.write(w, 0, 9);
            w.commit(1);
            writes.write(w, 10, 19);
            w.prepareCommit(2);
        }
        try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
            Table t = table(floe);
            assertThat(rows(t)).isEqualTo(expected(19));
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 9));
            assertThat(t.commit(0, 2, 20)).as("a kept, recovered record may be committed by seq").isEqualTo(20);
            assertThat(writes.tailValues(t, IsolationLevel.READ_COMMITTED)).isEqualTo(range(0, 19));
        }
    }
}
