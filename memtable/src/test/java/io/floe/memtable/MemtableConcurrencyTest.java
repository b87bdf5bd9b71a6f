package io.floe.memtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.Seeds;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Real threads: readers scanning and looking up while a writer inserts, and several writers
 * inserting at once. Entries are derived from their seq ({@link Workload}), so a reader can check
 * what it sees without sharing a model with the writer. {@code -Dfloe.memtable.stress=true} runs
 * twenty times more entries.
 */
class MemtableConcurrencyTest {
    private static final int SCALE = Boolean.getBoolean("floe.memtable.stress") ? 20 : 1;

    @Test
    void readersSeeASortedViewHoldingEveryAcknowledgedEntry() throws Exception {
        SplittableRandom random = Seeds.random("MemtableConcurrencyTest.readersSeeASortedViewHoldingEveryAcknowledgedEntry");
        Workload w = new Workload(random.split(), 300_000 * SCALE, 80_000 * SCALE);
        try (OffHeapAllocator allocator = new OffHeapAllocator("readers", Long.MAX_VALUE)) {
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(1L << 30, 64 << 10));
            AtomicLong acked = new AtomicLong();
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            int readers = 2;
            CyclicBarrier start = new CyclicBarrier(readers + 1);
            List<Thread> threads = new ArrayList<>();
            threads.add(thread("writer", failures, () -> {
                start.await();
                for (int seq = 1; seq <= w.entries; seq++) {
                    assertThat(w.insert(memtable, seq, 0)).isEqualTo(InsertStatus.OK);
                    acked.set(seq);
                }
            }));
            long[] scans = new long[readers];
            for (int r = 0; r < readers; r++) {
                SplittableRandom readerRandom = random.split();
                int id = r;
                threads.add(thread("reader-" + r, failures, () -> {
                    start.await();
                    Reader reader = new Reader(w, memtable, readerRandom);
                    boolean last = false;
                    while (!last) {
                        last = done.get();
                        reader.checkOnce(acked.get());
                        scans[id]++;
                    }
                    reader.close();
                }));
            }
            threads.forEach(Thread::start);
            threads.get(0).join();
            done.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            System.out.println("[readers] scans per reader while the writer ran: " + java.util.Arrays.toString(scans));
            assertThat(java.util.Arrays.stream(scans).min().orElseThrow()).isPositive();
            assertThat(memtable.entryCount()).isEqualTo(w.entries);
            memtable.close();
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
        }
    }

    @Test
    void concurrentWritersBuildTheUnionOfTheirInserts() throws Exception {
        SplittableRandom random = Seeds.random("MemtableConcurrencyTest.concurrentWritersBuildTheUnionOfTheirInserts");
        int writers = 3;
        int contested = 20_000 * SCALE;
        Workload w = new Workload(random.split(), 120_000 * SCALE + contested, 30_000 * SCALE);
        int ownEntries = w.entries - contested;
        try (OffHeapAllocator allocator = new OffHeapAllocator("writers", Long.MAX_VALUE)) {
            // Small chunks: writers open new regions often, racing on the arena's region switch.
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(1L << 30, 4 << 10));
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(writers);
            BitSet[] won = new BitSet[writers];
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                won[t] = new BitSet();
                SplittableRandom writerRandom = random.split();
                threads.add(thread("writer-" + t, failures, () -> {
                    MemtableWriter writer = memtable.newWriter();
                    start.await();
                    int next = 0;
                    for (int seq = 1 + id; seq <= ownEntries; seq += writers) {
                        assertThat(w.insert(writer, seq, 0)).isEqualTo(InsertStatus.OK);
                        // Every few entries, contend with the others for one of the shared ones.
                        if (writerRandom.nextInt(5) == 0 && next < contested) {
                            int shared = ownEntries + 1 + (next++ + id * 7919) % contested;
                            if (w.insert(writer, shared, id + 1) == InsertStatus.OK) {
                                won[id].set(shared);
                            }
                        }
                    }
                    for (int i = 0; i < contested; i++) {
                        int shared = ownEntries + 1 + (i + id * 7919) % contested;
                        InsertStatus status = w.insert(writer, shared, id + 1);
                        assertThat(status).isIn(InsertStatus.OK, InsertStatus.DUPLICATE);
                        if (status == InsertStatus.OK) {
                            won[id].set(shared);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            int[] winner = new int[w.entries + 1];
            for (int t = 0; t < writers; t++) {
                for (int seq = won[t].nextSetBit(0); seq >= 0; seq = won[t].nextSetBit(seq + 1)) {
                    assertThat(winner[seq]).as("seq %d won twice", seq).isZero();
                    winner[seq] = t + 1;
                }
            }
            BitSet seen = new BitSet();
            try (MemtableIterator it = memtable.newIterator()) {
                byte[] previousKey = null;
                long previousSeq = 0;
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    int seq = (int) it.seq();
                    w.check(it.entry(), seq > ownEntries ? winner[seq] : 0);
                    assertThat(seen.get(seq)).isFalse();
                    seen.set(seq);
                    byte[] key = w.keyBytes(w.keyOf[seq]);
                    if (previousKey != null) {
                        int c = ByteComparisons.compare(previousKey, key);
                        assertThat(c < 0 || (c == 0 && previousSeq > seq)).as("order at seq %d", seq).isTrue();
                    }
                    previousKey = key;
                    previousSeq = seq;
                }
            }
            assertThat(seen.cardinality()).isEqualTo(w.entries);
            assertThat(memtable.entryCount()).isEqualTo(w.entries);
            assertThat(memtable.minSeq()).isEqualTo(1);
            assertThat(memtable.maxSeq()).isEqualTo(w.entries);
            memtable.close();
            allocator.assertNoLeaks();
        }
    }

    @Test
    void concurrentWritersUntilFullKeepExactlyWhatWasAcknowledged() throws Exception {
        SplittableRandom random = Seeds.random("MemtableConcurrencyTest.concurrentWritersUntilFullKeepExactlyWhatWasAcknowledged");
        int writers = 2;
        Workload w = new Workload(random.split(), 200_000, 50_000);
        try (OffHeapAllocator allocator = new OffHeapAllocator("full", Long.MAX_VALUE)) {
            long limit = 2 << 20;
            Memtable memtable = Memtable.create(allocator, new MemtableOptions(limit, 4 << 10));
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(writers);
            BitSet[] acked = new BitSet[writers];
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++) {
                int id = t;
                acked[t] = new BitSet();
                threads.add(thread("writer-" + t, failures, () -> {
                    MemtableWriter writer = memtable.newWriter();
                    start.await();
                    int fulls = 0;
                    for (int seq = 1 + id; seq <= w.entries && fulls < 100; seq += writers) {
                        InsertStatus status = w.insert(writer, seq, 0);
                        if (status == InsertStatus.OK) {
                            acked[id].set(seq);
                        } else {
                            assertThat(status).isEqualTo(InsertStatus.FULL);
                            fulls++;
                        }
                    }
                    assertThat(fulls).as("the limit is reached").isPositive();
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            BitSet expected = new BitSet();
            for (BitSet b : acked) {
                expected.or(b);
            }
            BitSet seen = new BitSet();
            try (MemtableIterator it = memtable.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    w.check(it.entry(), 0);
                    seen.set((int) it.seq());
                }
            }
            assertThat(seen).isEqualTo(expected);
            assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isLessThanOrEqualTo(limit);
            memtable.close();
            allocator.assertNoLeaks();
        }
    }

    /** A reader's checks of one moment of the table; see {@link #checkOnce}. */
    private static final class Reader {
        final Workload w;
        final Memtable memtable;
        final SplittableRandom random;
        final MemtableIterator raw;
        final SnapshotIterator visible;
        final EntryView view = new EntryView();
        final byte[] previous = new byte[Workload.MAX_KEY_LENGTH];

        Reader(Workload w, Memtable memtable, SplittableRandom random) {
            this.w = w;
            this.memtable = memtable;
            this.random = random;
            this.raw = memtable.newIterator();
            this.visible = memtable.newSnapshotIterator(0);
        }

        /**
         * Checks, for entries acknowledged up to {@code acked} before the check starts: a raw scan
         * is sorted and holds every one of them; a snapshot scan at {@code acked} holds exactly the
         * newest version of each key; some lookups find the right version; a backward walk is sorted.
         */
        void checkOnce(long acked) {
            long upTo = 0;
            int previousLength = -1;
            long previousSeq = 0;
            for (raw.seekToFirst(); raw.isValid(); raw.next()) {
                int seq = (int) raw.seq();
                w.check(raw.entry(), 0);
                previousSeq = checkAscending(raw, previousLength, previousSeq);
                previousLength = copyKey(raw);
                if (seq <= acked) {
                    upTo++;
                }
            }
            assertThat(upTo).as("acknowledged entries seen").isEqualTo(acked);

            visible.snapshotSeq(acked);
            long keys = 0;
            previousLength = -1;
            for (visible.seekToFirst(); visible.isValid(); visible.next()) {
                int seq = (int) visible.seq();
                assertThat(seq).isLessThanOrEqualTo((int) acked);
                assertThat(w.nextOfKey[seq]).as("newest visible version").isGreaterThan((int) acked);
                w.check(visible.entry(), 0);
                if (previousLength >= 0) {
                    assertThat(ByteComparisons.compare(visible.key(), 0, visible.keyLength(),
                            new UnsafeBuffer(previous), 0, previousLength)).isPositive();
                }
                previousLength = copyKey(visible);
                keys++;
            }
            assertThat(keys).isEqualTo(w.distinctKeysUpTo[(int) acked]);

            for (int i = 0; i < 50 && acked > 0; i++) {
                int seq = 1 + random.nextInt((int) acked);
                int newest = seq;
                while (w.nextOfKey[newest] <= acked) {
                    newest = w.nextOfKey[newest];
                }
                byte[] key = w.keyBytes(w.keyOf[seq]);
                assertThat(memtable.get(new UnsafeBuffer(key), 0, key.length, acked, view)).isTrue();
                assertThat(view.seq()).isEqualTo(newest);
            }

            raw.seekToLast();
            for (int i = 0; i < 500 && raw.isValid(); i++) {
                long seq = raw.seq();
                byte[] key = new byte[raw.keyLength()];
                raw.key().getBytes(0, key);
                raw.prev();
                if (raw.isValid()) {
                    int c = ByteComparisons.compare(raw.key(), 0, raw.keyLength(), key);
                    assertThat(c < 0 || (c == 0 && raw.seq() > seq)).as("backward order").isTrue();
                }
            }
        }

        private long checkAscending(MemtableCursor cursor, int previousLength, long previousSeq) {
            if (previousLength >= 0) {
                int c = ByteComparisons.compare(cursor.key(), 0, cursor.keyLength(), new UnsafeBuffer(previous), 0, previousLength);
                assertThat(c > 0 || (c == 0 && cursor.seq() < previousSeq)).as("ascending order").isTrue();
            }
            return cursor.seq();
        }

        private int copyKey(MemtableCursor cursor) {
            cursor.key().getBytes(0, previous, 0, cursor.keyLength());
            return cursor.keyLength();
        }

        void close() {
            raw.close();
            visible.close();
        }
    }

    /** Entry {@code seq} (1-based) has key {@code keyOf[seq]} and a value derived from seq. */
    private static final class Workload {
        static final int MAX_KEY_LENGTH = 12;
        final int entries;
        final int[] keyOf;
        /** The next seq with the same key, or MAX_VALUE. */
        final int[] nextOfKey;
        /** The number of distinct keys among seqs 1..s. */
        final int[] distinctKeysUpTo;

        Workload(SplittableRandom random, int entries, int keys) {
            this.entries = entries;
            keyOf = new int[entries + 1];
            nextOfKey = new int[entries + 1];
            distinctKeysUpTo = new int[entries + 1];
            int[] lastSeq = new int[keys];
            for (int seq = 1; seq <= entries; seq++) {
                int key = random.nextInt(keys);
                keyOf[seq] = key;
                nextOfKey[seq] = Integer.MAX_VALUE;
                distinctKeysUpTo[seq] = distinctKeysUpTo[seq - 1] + (lastSeq[key] == 0 ? 1 : 0);
                if (lastSeq[key] != 0) {
                    nextOfKey[lastSeq[key]] = seq;
                }
                lastSeq[key] = seq;
            }
        }

        /** Big-endian key id, then 0..4 bytes of suffix: lengths vary and some bytes are >= 0x80. */
        byte[] keyBytes(int key) {
            byte[] bytes = new byte[4 + key % 5];
            int mixed = key * 0x9E3779B1;
            for (int i = 0; i < 4; i++) {
                bytes[i] = (byte) (mixed >>> (24 - 8 * i));
            }
            for (int i = 4; i < bytes.length; i++) {
                bytes[i] = (byte) (0x80 + i);
            }
            return bytes;
        }

        static RowKind kindOf(int seq) {
            return RowKind.values()[seq & 3];
        }

        /** Eight bytes of seq, one byte of writer tag, then {@code seq % 40} bytes of {@code (byte) seq}. */
        static byte[] valueBytes(int seq, int tag) {
            byte[] bytes = new byte[9 + seq % 40];
            new UnsafeBuffer(bytes).putLong(0, seq);
            bytes[8] = (byte) tag;
            for (int i = 9; i < bytes.length; i++) {
                bytes[i] = (byte) seq;
            }
            return bytes;
        }

        InsertStatus insert(MemtableWriter writer, int seq, int tag) {
            byte[] key = keyBytes(keyOf[seq]);
            byte[] value = valueBytes(seq, tag);
            return writer.insert(new UnsafeBuffer(key), 0, key.length, seq, kindOf(seq), new UnsafeBuffer(value), 0, value.length);
        }

        InsertStatus insert(Memtable memtable, int seq, int tag) {
            byte[] key = keyBytes(keyOf[seq]);
            byte[] value = valueBytes(seq, tag);
            return memtable.insert(new UnsafeBuffer(key), 0, key.length, seq, kindOf(seq), new UnsafeBuffer(value), 0, value.length);
        }

        /** Checks that the entry is entry {@code seq} as written with {@code tag}. */
        void check(EntryView entry, int tag) {
            int seq = (int) entry.seq();
            assertThat(seq).isBetween(1, entries);
            DirectBuffer key = entry.key();
            assertThat(ByteComparisons.compare(key, 0, key.capacity(), keyBytes(keyOf[seq]))).as("key of seq %d", seq).isZero();
            assertThat(entry.kind()).isEqualTo(kindOf(seq));
            DirectBuffer value = entry.value();
            assertThat(ByteComparisons.compare(value, 0, value.capacity(), valueBytes(seq, tag))).as("value of seq %d", seq).isZero();
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, ConcurrentLinkedQueue<Throwable> failures, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }
}
