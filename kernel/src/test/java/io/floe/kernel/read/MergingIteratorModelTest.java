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

    /**
     * Keys of 0 to 12 bytes drawn from {00, 01, ff}: many share their first 8 bytes or differ only by
     * trailing zero bytes, where the merge's cached 8-byte prefixes tie and the full keys decide.
     * At every step {@code currentIsOnlyVersion()} must say exactly whether the next entry in the
     * model has another key (the list sources answer {@code nextMayShareKey} exactly).
     */
    @Test
    void prefixTiesAndOnlyVersionMatchTheModel() {
        SplittableRandom r = Seeds.random("MergingIteratorModelTest.prefixTiesAndOnlyVersionMatchTheModel");
        byte[] alphabet = {0, 1, (byte) 0xFF};
        for (int round = 0; round < 300; round++) {
            int sourceCount = 1 + r.nextInt(5);
            List<List<ListSource.Entry>> lists = new ArrayList<>();
            for (int s = 0; s < sourceCount; s++) {
                lists.add(new ArrayList<>());
            }
            TreeMap<ListSource.Entry, Boolean> model = new TreeMap<>(ORDER);
            List<byte[]> keys = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                byte[] key = new byte[r.nextInt(13)];
                for (int i = 0; i < key.length; i++) {
                    key[i] = i < 7 && r.nextInt(4) != 0 ? 1 : alphabet[r.nextInt(3)];
                }
                keys.add(key);
            }
            int n = r.nextInt(200);
            for (long seq = 1; seq <= n; seq++) {
                ListSource.Entry e = new ListSource.Entry(keys.get(r.nextInt(keys.size())), seq, RowKind.INSERT, new byte[] {(byte) seq});
                lists.get(r.nextInt(sourceCount)).add(e);
                model.put(e, true);
            }
            List<ListSource> sources = new ArrayList<>();
            for (List<ListSource.Entry> l : lists) {
                l.sort(ORDER);
                sources.add(new ListSource(l));
            }
            List<ListSource.Entry> expected = new ArrayList<>(model.keySet());
            try (MergingIterator it = new MergingIterator(sources)) {
                it.seekToFirst();
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(it.valid()).isTrue();
                    byte[] k = new byte[it.keyLength()];
                    it.keyBuffer().getBytes(it.keyOffset(), k);
                    assertThat(k).as("round %d entry %d", round, i).isEqualTo(expected.get(i).key());
                    assertThat(it.seq()).isEqualTo(expected.get(i).seq());
                    boolean last = i + 1 == expected.size() || !java.util.Arrays.equals(expected.get(i + 1).key(), k);
                    assertThat(it.currentIsOnlyVersion()).as("round %d entry %d", round, i).isEqualTo(last);
                    assertThat(it.current().seq()).isEqualTo(it.seq());
                    it.next();
                }
                assertThat(it.valid()).isFalse();
            }
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
