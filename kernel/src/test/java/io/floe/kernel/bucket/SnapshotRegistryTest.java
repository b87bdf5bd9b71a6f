package io.floe.kernel.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.testing.Seeds;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The snapshot registry against a TreeMap of counts: random registers and releases, including unknown seqs. */
class SnapshotRegistryTest {
    @Test
    void matchesATreeMapOfCounts() {
        SplittableRandom r = Seeds.random("SnapshotRegistryTest");
        SnapshotRegistry registry = new SnapshotRegistry();
        TreeMap<Long, Integer> model = new TreeMap<>();
        for (int op = 0; op < 20_000; op++) {
            long seq = r.nextLong(0, 40);
            if (r.nextInt(100) < 55) {
                registry.register(seq);
                model.merge(seq, 1, Integer::sum);
            } else {
                registry.release(seq);
                model.computeIfPresent(seq, (k, n) -> n == 1 ? null : n - 1);
            }
            assertThat(registry.oldest()).isEqualTo(model.isEmpty() ? Long.MAX_VALUE : model.firstKey());
        }
    }
}
