package io.floe.kernel.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The merge of random sorted sources against a TreeMap of every entry, full scans and seeks. */
class MergingIteratorModelTest {
    private static final Comparator<ListSource.Entry> ORDER = (a, b) -> {
        int c = ByteComparisons.compare(a.key(), b.key());
        return c != 0 ? c : Long.compare(b.seq(), a.seq());
    };

    @Test
    void mergeMatchesTheModel() {
        SplittableRandom r = Seeds.random("MergingIteratorModelTest.mergeMatchesTheModel");
        for (int round = 0; round < 300; round++) {
            int sourceCount = r.nextInt(6);
            List<List<ListSource.Entry>> lists = new ArrayList<>();
            for (int s = 0; s < sourceCount; s++) {
                lists.add(new ArrayList<>());
            }
            TreeMap<ListSource.Entry, Boolean> model = new TreeMap<>(ORDER);
            int n = sourceCount == 0 ? 0 : r.nextInt(200);
            for (long seq = 1; seq <= n; seq++) {
                byte[] key = key(r.nextInt(40));
                ListSource.Entry e = new ListSource.Entry(key, seq, r.nextInt(4) == 0 ? RowKind.DELETE : RowKind.INSERT,
                        new byte[] {(byte) seq});
                lists.get(r.nextInt(sourceCount)).add(e);
                model.put(e, true);
            }
            List<ListSource> sources = new ArrayList<>();
            for (List<ListSource.Entry> l : lists) {
                l.sort(ORDER);
                sources.add(new ListSource(l));
            }
            try (MergingIterator it = new MergingIterator(sources)) {
                it.seekToFirst();
                assertThat(drain(it)).isEqualTo(describe(new ArrayList<>(model.keySet())));
                for (int s = 0; s < 5; s++) {
                    byte[] target = key(r.nextInt(45));
                    it.seek(new UnsafeBuffer(target), 0, target.length);
                    ListSource.Entry probe = new ListSource.Entry(target, Long.MAX_VALUE, RowKind.INSERT, new byte[0]);
                    assertThat(drain(it)).isEqualTo(describe(new ArrayList<>(model.tailMap(probe, true).keySet())));
                }
            }
            assertThat(sources).allMatch(s -> s.closed);
        }
    }

    private static byte[] key(int k) {
        return k % 2 == 0 ? new byte[] {(byte) (k * 5)} : new byte[] {(byte) (k * 5), (byte) k};
    }

    private static List<String> drain(MergingIterator it) {
        List<String> out = new ArrayList<>();
        while (it.valid()) {
            byte[] k = new byte[it.keyLength()];
            it.keyBuffer().getBytes(it.keyOffset(), k);
            out.add(java.util.HexFormat.of().formatHex(k) + "@" + it.seq() + it.kind().shortString() + it.rowBuffer().getByte(it.rowOffset()));
            it.next();
        }
        return out;
    }

    private static List<String> describe(List<ListSource.Entry> entries) {
        List<String> out = new ArrayList<>();
        for (ListSource.Entry e : entries) {
            out.add(java.util.HexFormat.of().formatHex(e.key()) + "@" + e.seq() + e.kind().shortString() + e.row()[0]);
        }
        return out;
    }
}
