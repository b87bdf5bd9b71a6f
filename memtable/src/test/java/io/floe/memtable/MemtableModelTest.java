package io.floe.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Random operation sequences against a {@code TreeMap} model: inserts (new keys, new versions of
 * old keys, duplicates, out-of-order seqs), gets at random snapshots, and seeks and steps of both
 * cursor kinds at random snapshots. Replay a failure with the printed seed.
 */
class MemtableModelTest {
    private static final RowKind[] KINDS = RowKind.values();
    private static final byte[] ALPHABET = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};

    @Test
    void randomOperationsMatchTreeMapModel() {
        SplittableRandom random = Seeds.random("MemtableModelTest.randomOperationsMatchTreeMapModel");
        int rounds = Integer.getInteger("floe.memtable.modelRounds", 12);
        for (int round = 0; round < rounds; round++) {
            runRound(random.split(), round);
        }
    }

    private static void runRound(SplittableRandom random, int round) {
        try (OffHeapAllocator allocator = new OffHeapAllocator("model-" + round, Long.MAX_VALUE)) {
            int chunk = 1 << (12 + random.nextInt(5));
            // Half the rounds guess a shared key prefix (from the keys' alphabet, so that keys fall
            // below it, into it, above it, and are proper prefixes of it): reads must not change.
            byte[] shared = new byte[random.nextBoolean() ? 0 : random.nextInt(4)];
            for (int i = 0; i < shared.length; i++) {
                shared[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(64L << 20, chunk), shared);
            // Keys and values are passed both from heap arrays at an offset and from off-heap memory.
            OffHeapBlock scratch = allocator.allocate(MemoryPurpose.ROW, 64 << 10);
            Round r = new Round(random, memtable, scratch.buffer());
            try {
                r.run(1_000 + random.nextInt(3_000));
                r.checkFullScan();
            } finally {
                memtable.close();
                scratch.close();
            }
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
        }
    }

    private static final class Round {
        final SplittableRandom random;
        final Memtable memtable;
        final MutableDirectBuffer offHeap;
        final NavigableMap<ModelEntry, ModelEntry> model = new TreeMap<>(ModelEntry.ORDER);
        final List<byte[]> keys = new ArrayList<>();
        final EntryView view = new EntryView();
        long nextSeq = 1;

        Round(SplittableRandom random, Memtable memtable, MutableDirectBuffer offHeap) {
            this.random = random;
            this.memtable = memtable;
            this.offHeap = offHeap;
            int keyCount = 1 + random.nextInt(random.nextBoolean() ? 20 : 300);
            for (int i = 0; i < keyCount; i++) {
                byte[] key;
                if (!keys.isEmpty() && random.nextInt(4) == 0) {
                    // A prefix or an extension of an existing key.
                    byte[] base = keys.get(random.nextInt(keys.size()));
                    int length = random.nextInt(base.length + 3);
                    key = java.util.Arrays.copyOf(base, length);
                    for (int j = base.length; j < length; j++) {
                        key[j] = ALPHABET[random.nextInt(ALPHABET.length)];
                    }
                } else {
                    key = randomBytes(random.nextInt(random.nextInt(4) == 0 ? 40 : 12), true);
                }
                keys.add(key);
            }
        }

        void run(int operations) {
            for (int op = 0; op < operations; op++) {
                int what = random.nextInt(100);
                if (what < 50) {
                    insert();
                } else if (what < 70) {
                    get();
                } else if (what < 85) {
                    rawCursor();
                } else {
                    snapshotCursor();
                }
            }
        }

        byte[] randomBytes(int length, boolean fromAlphabet) {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = fromAlphabet ? ALPHABET[random.nextInt(ALPHABET.length)] : (byte) random.nextInt(256);
            }
            return bytes;
        }

        byte[] someKey() {
            return random.nextInt(10) == 0 ? randomBytes(random.nextInt(10), true) : keys.get(random.nextInt(keys.size()));
        }

        long someSnapshot() {
            int pick = random.nextInt(10);
            if (pick == 0) {
                return Long.MAX_VALUE;
            }
            if (pick == 1) {
                return -1;
            }
            return random.nextLong(nextSeq + 2);
        }

        void insert() {
            byte[] key = keys.get(random.nextInt(keys.size()));
            long seq;
            int pick = random.nextInt(20);
            if (pick == 0 && !model.isEmpty()) {
                seq = model.firstKey().seq(); // may or may not be a duplicate of this key
            } else if (pick == 1) {
                seq = random.nextLong(nextSeq + 1); // out of order, maybe a duplicate
            } else {
                seq = nextSeq++;
            }
            int valueLength = random.nextInt(50) == 0 ? random.nextInt(20_000) : random.nextInt(60);
            ModelEntry entry = new ModelEntry(key, seq, KINDS[random.nextInt(KINDS.length)], randomBytes(valueLength, false));
            InsertStatus status = insert(entry);
            if (model.containsKey(entry)) {
                assertThat(status).as("insert of %s", entry).isEqualTo(InsertStatus.DUPLICATE);
            } else {
                assertThat(status).as("insert of %s", entry).isEqualTo(InsertStatus.OK);
                model.put(entry, entry);
            }
        }

        InsertStatus insert(ModelEntry entry) {
            if (random.nextBoolean() && entry.key().length + entry.value().length <= offHeap.capacity()) {
                offHeap.putBytes(0, entry.key());
                offHeap.putBytes(entry.key().length, entry.value());
                return memtable.insert(offHeap, 0, entry.key().length, entry.seq(), entry.kind(), offHeap,
                        entry.key().length, entry.value().length);
            }
            int keyAt = random.nextInt(5);
            int valueAt = random.nextInt(5);
            byte[] k = new byte[keyAt + entry.key().length + random.nextInt(3)];
            System.arraycopy(entry.key(), 0, k, keyAt, entry.key().length);
            byte[] v = new byte[valueAt + entry.value().length + random.nextInt(3)];
            System.arraycopy(entry.value(), 0, v, valueAt, entry.value().length);
            return memtable.insert(new UnsafeBuffer(k), keyAt, entry.key().length, entry.seq(), entry.kind(),
                    new UnsafeBuffer(v), valueAt, entry.value().length);
        }

        void get() {
            byte[] key = someKey();
            long snapshot = someSnapshot();
            ModelEntry expected = model.ceilingKey(ModelEntry.probe(key, snapshot));
            if (expected != null && ModelEntry.KEY_ORDER.compare(expected.key(), key) != 0) {
                expected = null;
            }
            boolean found = memtable.get(new UnsafeBuffer(key), 0, key.length, snapshot, view);
            assertThat(found).as("get found at snapshot %d", snapshot).isEqualTo(expected != null);
            if (found) {
                assertThat(ModelEntry.of(view)).isEqualTo(expected);
            }
        }

        void rawCursor() {
            try (MemtableIterator it = memtable.newIterator()) {
                ModelEntry at;
                int how = random.nextInt(4);
                if (how == 0) {
                    it.seekToFirst();
                    at = model.isEmpty() ? null : model.firstKey();
                } else if (how == 1) {
                    it.seekToLast();
                    at = model.isEmpty() ? null : model.lastKey();
                } else if (how == 2) {
                    byte[] key = someKey();
                    it.seek(new UnsafeBuffer(key), 0, key.length);
                    at = model.ceilingKey(ModelEntry.probe(key, Long.MAX_VALUE));
                } else {
                    byte[] key = someKey();
                    long snapshot = someSnapshot();
                    it.seek(new UnsafeBuffer(key), 0, key.length, snapshot);
                    at = model.ceilingKey(ModelEntry.probe(key, snapshot));
                }
                for (int step = random.nextInt(30); ; step--) {
                    assertThat(it.isValid()).isEqualTo(at != null);
                    if (at == null || step == 0) {
                        break;
                    }
                    assertThat(ModelEntry.of(it)).isEqualTo(at);
                    ModelEntry after = model.higherKey(at);
                    assertThat(it.nextHasSameKey()).as("next entry after %s is %s", at, after)
                            .isEqualTo(after != null && ModelEntry.KEY_ORDER.compare(after.key(), at.key()) == 0);
                    if (random.nextInt(3) == 0) {
                        it.prev();
                        at = model.lowerKey(at);
                    } else {
                        it.next();
                        at = model.higherKey(at);
                    }
                }
            }
        }

        void snapshotCursor() {
            long snapshot = someSnapshot();
            NavigableMap<byte[], ModelEntry> visible = ModelEntry.visible(model, snapshot);
            try (SnapshotIterator it = memtable.newSnapshotIterator(snapshot)) {
                Map.Entry<byte[], ModelEntry> at;
                int how = random.nextInt(3);
                if (how == 0) {
                    it.seekToFirst();
                    at = visible.firstEntry();
                } else if (how == 1) {
                    it.seekToLast();
                    at = visible.lastEntry();
                } else {
                    byte[] key = someKey();
                    it.seek(new UnsafeBuffer(key), 0, key.length);
                    at = visible.ceilingEntry(key);
                }
                for (int step = random.nextInt(30); ; step--) {
                    assertThat(it.isValid()).as("valid at snapshot %d", snapshot).isEqualTo(at != null);
                    if (at == null || step == 0) {
                        break;
                    }
                    assertThat(ModelEntry.of(it)).as("at snapshot %d", snapshot).isEqualTo(at.getValue());
                    if (random.nextInt(3) == 0) {
                        it.prev();
                        at = visible.lowerEntry(at.getKey());
                    } else {
                        it.next();
                        at = visible.higherEntry(at.getKey());
                    }
                }
            }
        }

        void checkFullScan() {
            List<ModelEntry> scanned = new ArrayList<>();
            try (MemtableIterator it = memtable.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    scanned.add(ModelEntry.of(it));
                }
                List<ModelEntry> backwards = new ArrayList<>();
                for (it.seekToLast(); it.isValid(); it.prev()) {
                    backwards.add(0, ModelEntry.of(it));
                }
                assertThat(backwards).isEqualTo(scanned);
            }
            assertThat(scanned).containsExactlyElementsOf(model.keySet());
            assertThat(memtable.entryCount()).isEqualTo(model.size());
            assertThat(memtable.isEmpty()).isEqualTo(model.isEmpty());
            if (!model.isEmpty()) {
                assertThat(memtable.minSeq()).isEqualTo(model.keySet().stream().mapToLong(ModelEntry::seq).min().orElseThrow());
                assertThat(memtable.maxSeq()).isEqualTo(model.keySet().stream().mapToLong(ModelEntry::seq).max().orElseThrow());
            }
            assertThat(memtable.approximateBytes()).isPositive().isLessThanOrEqualTo(memtable.reservedBytes());
        }
    }
}
