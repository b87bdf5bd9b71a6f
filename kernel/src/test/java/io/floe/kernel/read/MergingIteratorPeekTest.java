package io.floe.kernel.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MergingIterator#currentIsOnlyVersion()} (what lets a compaction copy an entry without
 * folding it) against the merged stream: true only where no later entry has the current key, and
 * true wherever the sources can tell (here they always can).
 */
class MergingIteratorPeekTest {
    @Test
    void onlyVersionIsExactWhenTheSourcesPeekExactly() {
        SplittableRandom r = Seeds.random("MergingIteratorPeekTest.onlyVersionIsExactWhenTheSourcesPeekExactly");
        for (int round = 0; round < 300; round++) {
            int sourceCount = 1 + r.nextInt(6);
            List<List<ListSource.Entry>> lists = new ArrayList<>();
            for (int s = 0; s < sourceCount; s++) {
                lists.add(new ArrayList<>());
            }
            int n = r.nextInt(200);
            int keySpace = 1 + r.nextInt(300);
            for (long seq = 1; seq <= n; seq++) {
                byte[] key = {(byte) (r.nextInt(keySpace) >>> 8), (byte) r.nextInt(keySpace)};
                lists.get(r.nextInt(sourceCount)).add(new ListSource.Entry(key, seq, RowKind.INSERT, new byte[] {1}));
            }
            List<ListSource> sources = new ArrayList<>();
            for (List<ListSource.Entry> l : lists) {
                l.sort((a, b) -> {
                    int c = Arrays.compareUnsigned(a.key(), b.key());
                    return c != 0 ? c : Long.compare(b.seq(), a.seq());
                });
                sources.add(new ListSource(l));
            }
            List<byte[]> merged = new ArrayList<>();
            List<Boolean> only = new ArrayList<>();
            try (MergingIterator it = new MergingIterator(sources)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    byte[] k = new byte[it.keyLength()];
                    it.keyBuffer().getBytes(it.keyOffset(), k);
                    merged.add(k);
                    only.add(it.currentIsOnlyVersion());
                }
            }
            for (int i = 0; i < merged.size(); i++) {
                boolean last = i + 1 == merged.size() || !Arrays.equals(merged.get(i), merged.get(i + 1));
                assertThat(only.get(i)).as("round %d, entry %d", round, i).isEqualTo(last);
            }
        }
    }
}
