package io.floe.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.testing.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

class SplitEnumerationTest {
    @Test
    void splitsSurviveTheCheckpointFormat() throws IOException {
        SplittableRandom r = Seeds.random("SplitEnumerationTest.splitsSurviveTheCheckpointFormat");
        List<BucketSplit> splits = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            BucketSplit s = BucketSplit.snapshot(r.nextInt(4096), r.nextLong(0, Long.MAX_VALUE - 1));
            if (r.nextBoolean()) {
                byte[] key = new byte[r.nextInt(0, 40)];
                for (int k = 0; k < key.length; k++) {
                    key[k] = (byte) r.nextInt(256);
                }
                s = s.afterKey(key);
            } else if (r.nextBoolean()) {
                s = s.snapshotDone().nextSeq(r.nextLong(0, Long.MAX_VALUE));
            }
            BucketSplit back = BucketSplitSerializer.INSTANCE.deserialize(BucketSplitSerializer.VERSION, BucketSplitSerializer.INSTANCE.serialize(s));
            assertThat(back).isEqualTo(s);
            splits.add(s);
        }
        EnumeratorStateSerializer state = new EnumeratorStateSerializer();
        assertThat(state.deserialize(state.getVersion(), state.serialize(splits))).isEqualTo(splits);
        assertThatThrownBy(() -> state.deserialize(3, state.serialize(splits))).hasMessageContaining("version 3");
        byte[] damaged = BucketSplitSerializer.INSTANCE.serialize(splits.get(0).afterKey(new byte[] {1, 2}));
        damaged[13 + 3] = 100; // the key length now points past the end
        assertThatThrownBy(() -> BucketSplitSerializer.INSTANCE.deserialize(BucketSplitSerializer.VERSION, damaged)).isInstanceOf(IOException.class).hasMessageContaining("key length");
    }

    @Test
    void eachBucketGoesToOneReaderAndComesBackAfterAFailure() {
        TestingSplitEnumeratorContext<BucketSplit> context = new TestingSplitEnumeratorContext<>(3);
        List<BucketSplit> buckets = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            buckets.add(BucketSplit.snapshot(b, 100));
        }
        FloeSplitEnumerator enumerator = new FloeSplitEnumerator(context, buckets, false);
        enumerator.start();
        for (int reader = 0; reader < 3; reader++) {
            context.registerReader(reader, "localhost");
            enumerator.addReader(reader);
        }
        assertThat(context.getSplitAssignments().get(0).getAssignedSplits()).extracting(BucketSplit::bucket).containsExactly(0, 3, 6);
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits()).extracting(BucketSplit::bucket).containsExactly(1, 4, 7);
        assertThat(context.getSplitAssignments().get(2).getAssignedSplits()).extracting(BucketSplit::bucket).containsExactly(2, 5);
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).as("streaming reads never end").isFalse();
        assertThat(enumerator.snapshotState(1)).isEmpty();

        // Splits handed back while their reader is registered go straight back to it, progress kept.
        enumerator.addSplitsBack(List.of(BucketSplit.tail(2, 9)), 2);
        assertThat(context.getSplitAssignments().get(2).getAssignedSplits()).endsWith(BucketSplit.tail(2, 9));
        assertThat(enumerator.snapshotState(2)).isEmpty();
    }

    @Test
    void splitsOfAFailedReaderWaitForItAndAreCheckpointed() {
        // Flink unregisters a failed reader before it hands its splits back; model that with a
        // context in which reader 1 has not registered again yet.
        TestingSplitEnumeratorContext<BucketSplit> context = new TestingSplitEnumeratorContext<>(2);
        FloeSplitEnumerator enumerator = new FloeSplitEnumerator(context, List.of(), false);
        context.registerReader(0, "localhost");
        enumerator.addReader(0);
        List<BucketSplit> back = List.of(BucketSplit.tail(1, 500), BucketSplit.tail(3, 77));
        enumerator.addSplitsBack(back, 1);
        assertThat(enumerator.snapshotState(7)).containsExactlyElementsOf(back);
        assertThat(context.getSplitAssignments()).as("not handed to another reader").doesNotContainKey(0);
        context.registerReader(1, "localhost");
        enumerator.addReader(1);
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits()).containsExactlyElementsOf(back);
        assertThat(enumerator.snapshotState(8)).isEmpty();
    }

    @Test
    void boundedReadsSignalTheEnd() {
        TestingSplitEnumeratorContext<BucketSplit> context = new TestingSplitEnumeratorContext<>(2);
        FloeSplitEnumerator enumerator = new FloeSplitEnumerator(context, List.of(BucketSplit.snapshot(0, 5)), true);
        for (int reader = 0; reader < 2; reader++) {
            context.registerReader(reader, "localhost");
            enumerator.addReader(reader);
        }
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).as("a reader with no bucket ends at once").isTrue();
    }
}
