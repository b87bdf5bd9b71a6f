package io.floe.flink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The split state of a bucket reader: snapshot to tail hand-over, and the restart rule for interrupted snapshot scans. */
class SplitProgressTest {
    private static UnsafeBuffer key(int k) {
        return new UnsafeBuffer(new byte[] {(byte) k});
    }

    @Test
    void aFinishedSnapshotHandsOverToTheSeqRightAfterIt() {
        SplitProgress p = new SplitProgress(BucketSplit.unstarted(3));
        assertThat(p.startScan(41)).isNull();
        p.emitted(key(1), 1);
        p.emitted(key(7), 1);
        assertThat(p.toSplit()).isEqualTo(new BucketSplit(3, BucketSplit.Phase.SNAPSHOT, 41, new byte[] {7}, 0));
        p.scanDone();
        assertThat(p.toSplit()).isEqualTo(new BucketSplit(3, BucketSplit.Phase.TAIL, 41, null, 42));
        assertThat(p.acceptTail(42, key(1), 1)).isTrue();
        assertThat(p.nextSeq()).isEqualTo(43);
    }

    @Test
    void aScanInterruptedAtS1ContinuesAtS2AndTailsFromS1FilteringByKey() {
        // Restored at S1 = 10 after key 0x20: the new snapshot S2 = 15 is scanned above 0x20 only.
        SplitProgress p = new SplitProgress(BucketSplit.snapshot(0, 10).afterKey(new byte[] {0x20}));
        assertThat(p.startScan(15)).containsExactly(0x20, 0x00);
        p.emitted(key(0x30), 1);
        p.scanDone();
        assertThat(p.nextSeq()).isEqualTo(11);
        assertThat(p.acceptTail(11, key(0x10), 1)).as("key <= 0x20, seq in (S1, S2]: not in the S2 scan").isTrue();
        assertThat(p.acceptTail(12, key(0x20), 1)).isTrue();
        assertThat(p.acceptTail(13, key(0x21), 1)).as("key > 0x20, seq <= S2: already in the S2 scan").isFalse();
        assertThat(p.acceptTail(15, key(0x30), 1)).isFalse();
        assertThat(p.toSplit().covered()).isEmpty(); // past S2: nothing left to filter
        assertThat(p.acceptTail(16, key(0x30), 1)).isTrue();
        assertThat(p.acceptTail(17, key(0x01), 1)).isTrue();
    }

    @Test
    void version1SplitsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(5);
            out.writeByte(0);
            out.writeLong(77);
            out.writeInt(2);
            out.write(new byte[] {9, 8});
            out.writeLong(78);
        }
        assertThat(BucketSplitSerializer.INSTANCE.deserialize(1, bytes.toByteArray()))
                .isEqualTo(BucketSplit.snapshot(5, 77).afterKey(new byte[] {9, 8}));
        BucketSplit withCovered = new BucketSplit(1, BucketSplit.Phase.TAIL, 9, null, 4,
                List.of(new BucketSplit.Covered(new byte[] {1}, 3), new BucketSplit.Covered(null, 9)));
        assertThat(BucketSplitSerializer.INSTANCE.deserialize(2, BucketSplitSerializer.INSTANCE.serialize(withCovered))).isEqualTo(withCovered);
    }

    /** One write of the model bucket. */
    private record Write(long seq, int key, Integer value) {
    }

    /**
     * A bucket model (seq-ordered writes of small keys) read by a simulated reader that is restarted
     * at random points from its serialized split: applying everything emitted gives the final state,
     * and no key receives a change twice or one older than what it already has.
     */
    @Test
    void randomRestartsNeitherLoseNorRepeatChanges() throws IOException {
        SplittableRandom r = Seeds.random("SplitProgressTest.randomRestartsNeitherLoseNorRepeatChanges");
        for (int round = 0; round < 300; round++) {
            List<Write> log = new ArrayList<>();
            for (int i = 0; i < r.nextInt(1, 40); i++) {
                log.add(new Write(log.size() + 1, r.nextInt(0, 12), r.nextInt(5) == 0 ? null : r.nextInt(1000)));
            }
            BucketSplit split = BucketSplit.unstarted(0);
            Map<Integer, Integer> emittedState = new TreeMap<>();
            Map<Integer, Long> emittedSeq = new HashMap<>();
            int written = r.nextInt(0, log.size() + 1); // the writes that exist so far
            while (true) {
                SplitProgress p = new SplitProgress(BucketSplitSerializer.INSTANCE.deserialize(2, BucketSplitSerializer.INSTANCE.serialize(split)));
                int budget = r.nextInt(1, 8); // rows until the next restart
                boolean done = false;
                if (p.phase() == BucketSplit.Phase.SNAPSHOT) {
                    long s = written;
                    byte[] from = p.startScan(s);
                    TreeMap<Integer, Write> snapshot = stateAt(log, s);
                    boolean finished = true;
                    for (Write w : snapshot.values()) {
                        if (from != null && w.key() <= (from[0] & 0xff)) {
                            continue; // below the scan's first key (last covered key ++ 0x00)
                        }
                        if (budget-- == 0) {
                            finished = false;
                            break;
                        }
                        p.emitted(key(w.key()), 1);
                        apply(emittedState, emittedSeq, w);
                    }
                    if (finished) {
                        p.scanDone();
                    }
                }
                if (p.phase() == BucketSplit.Phase.TAIL) {
                    written = Math.min(log.size(), written + r.nextInt(0, 6));
                    for (Write w : log.subList((int) Math.min(p.nextSeq() - 1, written), written)) {
                        if (budget-- == 0) {
                            break;
                        }
                        if (p.acceptTail(w.seq(), key(w.key()), 1)) {
                            apply(emittedState, emittedSeq, w);
                        }
                    }
                    done = written == log.size() && p.nextSeq() == log.size() + 1;
                }
                split = p.toSplit();
                if (done) {
                    break;
                }
                written = Math.min(log.size(), written + r.nextInt(0, 3));
            }
            TreeMap<Integer, Integer> expected = new TreeMap<>();
            stateAt(log, log.size()).forEach((k, w) -> expected.put(k, w.value()));
            assertThat(emittedState).as("round %d, log %s", round, log).isEqualTo(expected);
        }
    }

    /** Returns each live key's last write at or below seq {@code s}. */
    private static TreeMap<Integer, Write> stateAt(List<Write> log, long s) {
        TreeMap<Integer, Write> state = new TreeMap<>();
        for (Write w : log.subList(0, (int) s)) {
            if (w.value() == null) {
                state.remove(w.key());
            } else {
                state.put(w.key(), w);
            }
        }
        return state;
    }

    private static void apply(Map<Integer, Integer> state, Map<Integer, Long> seqs, Write w) {
        Long before = seqs.get(w.key());
        assertThat(before == null || before < w.seq()).as("key %d got seq %d after seq %d", w.key(), w.seq(), before).isTrue();
        seqs.put(w.key(), w.seq());
        if (w.value() == null) {
            state.remove(w.key());
        } else {
            state.put(w.key(), w.value());
        }
    }
}
