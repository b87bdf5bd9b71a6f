package io.floe.memtable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.common.RowKind;
import io.floe.common.error.InvalidOptionException;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cursor edge cases, large and empty entries, and options checks. */
class MemtableEdgeCaseTest {
    private final OffHeapAllocator allocator = new OffHeapAllocator("edge", Long.MAX_VALUE);
    private final List<Memtable> memtables = new ArrayList<>();

    @AfterEach
    void closeAll() {
        memtables.forEach(Memtable::close);
        assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isZero();
        allocator.assertNoLeaks();
    }

    private Memtable memtable(long limit) {
        Memtable memtable = Memtable.create(allocator, MemtableOptions.withLimit(limit));
        memtables.add(memtable);
        return memtable;
    }

    static DirectBuffer buf(String s) {
        return new UnsafeBuffer(s.getBytes(UTF_8));
    }

    static DirectBuffer buf(byte... bytes) {
        return new UnsafeBuffer(bytes);
    }

    static InsertStatus put(Memtable memtable, String key, long seq, RowKind kind, String value) {
        DirectBuffer k = buf(key);
        DirectBuffer v = buf(value);
        return memtable.insert(k, 0, k.capacity(), seq, kind, v, 0, v.capacity());
    }

    static String string(DirectBuffer buffer) {
        return buffer.getStringWithoutLengthUtf8(0, buffer.capacity());
    }

    @Test
    void emptyTableHasNothingToShow() {
        Memtable memtable = memtable(1 << 20);
        assertThat(memtable.isEmpty()).isTrue();
        assertThat(memtable.entryCount()).isZero();
        assertThat(memtable.minSeq()).isEqualTo(Long.MAX_VALUE);
        assertThat(memtable.maxSeq()).isEqualTo(Long.MIN_VALUE);
        EntryView view = new EntryView();
        assertThat(memtable.get(buf("a"), 0, 1, Long.MAX_VALUE, view)).isFalse();
        assertThat(memtable.get(buf(), 0, 0, Long.MAX_VALUE, view)).isFalse();
        try (MemtableIterator it = memtable.newIterator(); SnapshotIterator snap = memtable.newSnapshotIterator(5)) {
            for (MemtableCursor cursor : List.<MemtableCursor>of(it, snap)) {
                cursor.seekToFirst();
                assertThat(cursor.isValid()).isFalse();
                cursor.seekToLast();
                assertThat(cursor.isValid()).isFalse();
                cursor.seek(buf("x"), 0, 1);
                assertThat(cursor.isValid()).isFalse();
                assertThatThrownBy(cursor::next).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(cursor::prev).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(cursor::key).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void seeksBeforeFirstAndPastLastAndStepsOffBothEnds() {
        Memtable memtable = memtable(1 << 20);
        put(memtable, "b", 1, RowKind.INSERT, "B1");
        put(memtable, "d", 2, RowKind.INSERT, "D2");
        put(memtable, "d", 3, RowKind.UPDATE_AFTER, "D3");
        try (MemtableIterator it = memtable.newIterator()) {
            it.seek(buf("a"), 0, 1);
            assertThat(string(it.key())).isEqualTo("b");
            it.prev();
            assertThat(it.isValid()).as("prev at the start").isFalse();
            it.seek(buf("e"), 0, 1);
            assertThat(it.isValid()).as("seek past the end").isFalse();
            it.seekToLast();
            assertThat(string(it.key())).isEqualTo("d");
            assertThat(it.seq()).as("the last entry is the oldest version of the last key").isEqualTo(2);
            it.next();
            assertThat(it.isValid()).isFalse();
            it.seek(buf("d"), 0, 1, 2);
            assertThat(it.seq()).isEqualTo(2);
            it.seek(buf("c"), 0, 1);
            assertThat(string(it.key())).isEqualTo("d");
            assertThat(it.seq()).isEqualTo(3);
            assertThat(it.kind()).isEqualTo(RowKind.UPDATE_AFTER);
            assertThat(string(it.value())).isEqualTo("D3");
        }
        try (SnapshotIterator it = memtable.newSnapshotIterator(2)) {
            it.seekToLast();
            assertThat(it.seq()).isEqualTo(2);
            it.prev();
            assertThat(string(it.key())).isEqualTo("b");
            it.prev();
            assertThat(it.isValid()).isFalse();
            it.snapshotSeq(0);
            it.seekToFirst();
            assertThat(it.isValid()).as("nothing is visible at snapshot 0").isFalse();
        }
    }

    @Test
    void zeroByteKeysAndValuesAndPrefixKeysSortUnsigned() {
        Memtable memtable = memtable(1 << 20);
        byte[][] keys = {{}, {0}, {0, 0}, {1}, {1, 0}, {1, (byte) 0xff}, {(byte) 0x7f}, {(byte) 0x80}, {(byte) 0xff},
                {(byte) 0xff, 0}, "abcdefgh".getBytes(UTF_8), "abcdefghi".getBytes(UTF_8), "abcdefgh\0".getBytes(UTF_8)};
        long seq = 1;
        for (int i = keys.length - 1; i >= 0; i--) {
            assertThat(memtable.insert(buf(keys[i]), 0, keys[i].length, seq++, RowKind.INSERT, buf(), 0, 0))
                    .isEqualTo(InsertStatus.OK);
        }
        assertThat(memtable.insert(buf(), 0, 0, seq++, RowKind.DELETE, buf(), 0, 0)).isEqualTo(InsertStatus.OK);
        List<byte[]> order = new ArrayList<>();
        try (MemtableIterator it = memtable.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = new byte[it.keyLength()];
                it.key().getBytes(0, key);
                order.add(key);
                assertThat(it.valueLength()).isZero();
            }
        }
        List<byte[]> expected = new ArrayList<>(List.of(keys));
        expected.add(0, new byte[0]);
        expected.sort(ModelEntry.KEY_ORDER);
        assertThat(order).containsExactlyElementsOf(expected);

        EntryView view = new EntryView();
        assertThat(memtable.get(buf(), 0, 0, Long.MAX_VALUE, view)).isTrue();
        assertThat(view.isDelete()).as("a delete is a found tombstone").isTrue();
        assertThat(memtable.get(buf(), 0, 0, seq - 2, view)).isTrue();
        assertThat(view.kind()).isEqualTo(RowKind.INSERT);
        assertThat(memtable.get(buf(new byte[3]), 0, 3, Long.MAX_VALUE, view)).as("absent extension").isFalse();
        assertThat(memtable.get(buf("abcdefg"), 0, 7, Long.MAX_VALUE, view)).as("absent prefix").isFalse();
    }

    @Test
    void oneMebibyteValuesRoundTrip() {
        Memtable memtable = memtable(16 << 20);
        byte[] value = new byte[1 << 20];
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) (i * 31 + round);
            }
            byte[] key = ("big" + round).getBytes(UTF_8);
            assertThat(memtable.insert(buf(key), 0, key.length, round, RowKind.INSERT, buf(value), 0, value.length))
                    .isEqualTo(InsertStatus.OK);
            put(memtable, "small" + round, 100 + round, RowKind.INSERT, "v" + round);
        }
        EntryView view = new EntryView();
        for (int round = 0; round < 5; round++) {
            byte[] key = ("big" + round).getBytes(UTF_8);
            assertThat(memtable.get(buf(key), 0, key.length, Long.MAX_VALUE, view)).isTrue();
            assertThat(view.valueLength()).isEqualTo(1 << 20);
            DirectBuffer v = view.value();
            for (int i = 0; i < v.capacity(); i += 4093) {
                assertThat(v.getByte(i)).isEqualTo((byte) (i * 31 + round));
            }
            assertThat(v.getByte(v.capacity() - 1)).isEqualTo((byte) ((v.capacity() - 1) * 31 + round));
        }
        assertThat(memtable.entryCount()).isEqualTo(10);
        assertThat(memtable.reservedBytes()).isLessThanOrEqualTo(16 << 20);
        assertThat(allocator.allocatedBytes(MemoryPurpose.MEMTABLE)).isEqualTo(memtable.reservedBytes());
    }

    @Test
    void duplicateKeyAndSeqIsReportedAndChangesNothing() {
        Memtable memtable = memtable(1 << 20);
        assertThat(put(memtable, "k", 7, RowKind.INSERT, "first")).isEqualTo(InsertStatus.OK);
        assertThat(put(memtable, "k", 7, RowKind.DELETE, "second")).isEqualTo(InsertStatus.DUPLICATE);
        assertThat(put(memtable, "k", 8, RowKind.DELETE, "")).isEqualTo(InsertStatus.OK);
        EntryView view = new EntryView();
        assertThat(memtable.get(buf("k"), 0, 1, 7, view)).isTrue();
        assertThat(string(view.value())).isEqualTo("first");
        assertThat(memtable.entryCount()).isEqualTo(2);
        assertThat(memtable.minSeq()).isEqualTo(7);
        assertThat(memtable.maxSeq()).isEqualTo(8);
    }

    @Test
    void extremeSeqsWork() {
        Memtable memtable = memtable(1 << 20);
        put(memtable, "k", 0, RowKind.INSERT, "zero");
        put(memtable, "k", Long.MAX_VALUE, RowKind.INSERT, "max");
        EntryView view = new EntryView();
        assertThat(memtable.get(buf("k"), 0, 1, Long.MAX_VALUE, view)).isTrue();
        assertThat(string(view.value())).isEqualTo("max");
        assertThat(memtable.get(buf("k"), 0, 1, Long.MAX_VALUE - 1, view)).isTrue();
        assertThat(string(view.value())).isEqualTo("zero");
        assertThat(memtable.get(buf("k"), 0, 1, -1, view)).isFalse();
    }

    @Test
    void badArgumentsAreRejected() {
        Memtable memtable = memtable(64 << 10);
        DirectBuffer k = buf("key");
        assertThatThrownBy(() -> memtable.insert(k, 0, 3, -1, RowKind.INSERT, k, 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> memtable.insert(k, 1, 3, 1, RowKind.INSERT, k, 0, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> memtable.get(k, 0, 4, 1, new EntryView())).isInstanceOf(IndexOutOfBoundsException.class);
        DirectBuffer huge = new UnsafeBuffer(new byte[(int) memtable.maxEntryBytes() + 1]);
        assertThatThrownBy(() -> memtable.insert(k, 0, 0, 1, RowKind.INSERT, huge, 0, huge.capacity()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never fit");
        assertThat(memtable.insert(k, 0, 0, 1, RowKind.INSERT, huge, 0, huge.capacity() - 1)).isEqualTo(InsertStatus.OK);
        assertThatThrownBy(() -> new MemtableOptions(1 << 20, 3000)).isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> new MemtableOptions(100, 4096)).isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> new MemtableOptions(3L << 30, 1 << 20)).isInstanceOf(InvalidOptionException.class);
        assertThat(MemtableOptions.withLimit(64 << 20).chunkBytes()).isEqualTo(1 << 20);
        assertThat(MemtableOptions.withLimit(16 << 10).chunkBytes()).isEqualTo(MemtableOptions.MIN_CHUNK_BYTES);
    }

    @Test
    void writersOfTheirOwnInsertIntoTheSameTable() {
        Memtable memtable = memtable(1 << 20);
        MemtableWriter a = memtable.newWriter();
        MemtableWriter b = memtable.newWriter();
        DirectBuffer k = buf("k");
        assertThat(a.insert(k, 0, 1, 1, RowKind.INSERT, k, 0, 1)).isEqualTo(InsertStatus.OK);
        assertThat(b.insert(k, 0, 1, 1, RowKind.INSERT, k, 0, 1)).isEqualTo(InsertStatus.DUPLICATE);
        assertThat(b.insert(k, 0, 1, 2, RowKind.INSERT, k, 0, 1)).isEqualTo(InsertStatus.OK);
        assertThat(memtable.entryCount()).isEqualTo(2);
    }

    @Test
    void sharedKeyPrefixIsWhatTheSmallestAndLargestKeysShare() {
        try (OffHeapAllocator allocator = new OffHeapAllocator("shared-prefix", Long.MAX_VALUE)) {
            Memtable memtable = Memtable.create(allocator, MemtableOptions.withLimit(1 << 20));
            try {
                assertThat(memtable.sharedKeyPrefix()).isEmpty();
                org.agrona.concurrent.UnsafeBuffer key = new org.agrona.concurrent.UnsafeBuffer(new byte[8]);
                org.agrona.concurrent.UnsafeBuffer value = new org.agrona.concurrent.UnsafeBuffer(new byte[4]);
                for (long id : new long[] {70_000, 3, 1_999_999}) {
                    key.putLong(0, id ^ Long.MIN_VALUE, java.nio.ByteOrder.BIG_ENDIAN);
                    memtable.insert(key, 0, 8, id, io.floe.common.RowKind.INSERT, value, 0, 4);
                }
                // 0x80 00 00 00 00 00 00 03 and 0x80 00 00 00 00 1e 84 7f share five bytes.
                assertThat(memtable.sharedKeyPrefix()).containsExactly(0x80, 0, 0, 0, 0);
                key.putLong(0, 7, java.nio.ByteOrder.BIG_ENDIAN);
                memtable.insert(key, 0, 8, 9, io.floe.common.RowKind.INSERT, value, 0, 4);
                assertThat(memtable.sharedKeyPrefix()).isEmpty();
            } finally {
                memtable.close();
            }
        }
    }
}
