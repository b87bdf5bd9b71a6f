package io.floe.changelog;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.changelog.TestRecords.Rec;
import io.floe.common.testing.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random appends (single and batch), commits, reopens and tailers from random positions at both
 * isolation levels, checked against a list model.
 */
class ChangelogModelTest {
    @TempDir
    Path dir;

    @Test
    void tailersReadWhatTheModelSays() {
        SplittableRandom random = Seeds.random("ChangelogModelTest.tailersReadWhatTheModelSays");
        ChangelogOptions options = TestRecords.smallOptions(dir.resolve("changelog"));
        List<Rec> model = new ArrayList<>();
        long committedSeq = -1;
        long checkpoint = -1;
        long nextSeq = random.nextInt(5);
        ChangelogWriter writer = ChangelogWriter.open(options);
        // Long-lived tailers, checked incrementally; closed on reopen.
        List<ChangelogTailer> live = new ArrayList<>();
        List<IsolationLevel> liveIsolation = new ArrayList<>();
        List<Long> liveSeen = new ArrayList<>();
        try {
            for (int step = 0; step < 400; step++) {
                int op = random.nextInt(100);
                if (op < 40) {
                    Rec rec = TestRecords.random(random, nextSeq, 300);
                    nextSeq += 1 + random.nextInt(3);
                    TestRecords.append(writer, random, rec);
                    model.add(rec);
                } else if (op < 55) {
                    List<Rec> batch = new ArrayList<>();
                    int n = 1 + random.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        batch.add(TestRecords.random(random, nextSeq, 300));
                        nextSeq += 1 + random.nextInt(3);
                    }
                    TestRecords.appendBatch(writer, random, batch);
                    model.addAll(batch);
                } else if (op < 67) {
                    if (random.nextInt(4) == 0 && checkpoint >= 0) {
                        long old = checkpoint - random.nextInt((int) Math.min(checkpoint + 1, 3));
                        assertThat(writer.commit(old)).as("re-commit of checkpoint %d is a no-op", old).isEqualTo(committedSeq);
                    } else {
                        checkpoint += 1 + random.nextInt(2);
                        committedSeq = model.isEmpty() ? -1 : model.get(model.size() - 1).seq();
                        assertThat(writer.commit(checkpoint)).isEqualTo(committedSeq);
                    }
                    assertThat(writer.committedSeq()).isEqualTo(committedSeq);
                    assertThat(writer.lastCheckpointId()).isEqualTo(checkpoint);
                } else if (op < 85) {
                    IsolationLevel isolation = random.nextBoolean() ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
                    int where = random.nextInt(3);
                    long lastSeq = model.isEmpty() ? 0 : model.get(model.size() - 1).seq();
                    long from = random.nextLong(lastSeq + 5);
                    TailerOptions tailerOptions = (where == 0 ? TailerOptions.fromStart()
                            : where == 1 ? TailerOptions.fromEnd() : TailerOptions.fromSeq(from)).withIsolation(isolation);
                    List<Rec> expected = new ArrayList<>();
                    if (where != 1) {
                        for (Rec rec : model) {
                            if ((where == 0 || rec.seq() >= from)
                                    && (isolation == IsolationLevel.READ_UNCOMMITTED || rec.seq() <= committedSeq)) {
                                expected.add(rec);
                            }
                        }
                    }
                    ChangelogTailer tailer = writer.newTailer(tailerOptions);
                    assertThat(TestRecords.drain(tailer)).as("tailer %s at step %d", tailerOptions, step).isEqualTo(expected);
                    if (live.size() < 3 && random.nextBoolean()) {
                        live.add(tailer);
                        liveIsolation.add(isolation);
                        liveSeen.add(where == 1 ? lastSeq : expected.isEmpty() ? (where == 2 ? from - 1 : -1)
                                : expected.get(expected.size() - 1).seq());
                    } else {
                        tailer.close();
                    }
                } else if (op < 95) {
                    for (int i = 0; i < live.size(); i++) {
                        long seen = liveSeen.get(i);
                        IsolationLevel isolation = liveIsolation.get(i);
                        long limit = isolation == IsolationLevel.READ_COMMITTED ? committedSeq : Long.MAX_VALUE;
                        List<Rec> expected = model.stream().filter(r -> r.seq() > seen && r.seq() <= limit).toList();
                        List<Rec> got = TestRecords.drain(live.get(i));
                        assertThat(got).as("live tailer %d (%s) at step %d", i, isolation, step).isEqualTo(expected);
                        if (!got.isEmpty()) {
                            liveSeen.set(i, got.get(got.size() - 1).seq());
                        }
                    }
                } else {
                    live.forEach(ChangelogTailer::close);
                    live.clear();
                    liveIsolation.clear();
                    liveSeen.clear();
                    writer.close();
                    writer = ChangelogWriter.open(options);
                    long expectedLast = model.isEmpty() ? -1 : model.get(model.size() - 1).seq();
                    assertThat(writer.lastSeq()).isEqualTo(expectedLast);
                    assertThat(writer.committedSeq()).isEqualTo(committedSeq);
                    assertThat(writer.lastCheckpointId()).isEqualTo(checkpoint);
                    assertThat(writer.recovery().voidedTorn()).isZero();
                }
            }
        } finally {
            live.forEach(ChangelogTailer::close);
            writer.close();
        }
    }
}
