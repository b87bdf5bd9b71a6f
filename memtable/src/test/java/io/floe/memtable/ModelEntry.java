package io.floe.memtable;

import io.floe.common.RowKind;
import io.floe.common.bytes.ByteComparisons;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** One entry of the {@code TreeMap} model of a memtable, in the memtable's order. */
record ModelEntry(byte[] key, long seq, RowKind kind, byte[] value) {
    /** Key ascending (unsigned), then seq descending: the memtable's order. */
    static final Comparator<ModelEntry> ORDER = (a, b) -> {
        int c = ByteComparisons.compare(a.key, b.key);
        return c != 0 ? c : Long.compare(b.seq, a.seq);
    };
    static final Comparator<byte[]> KEY_ORDER = ByteComparisons::compare;

    /** Returns a probe that sorts where {@code (key, seq)} does. */
    static ModelEntry probe(byte[] key, long seq) {
        return new ModelEntry(key, seq, RowKind.INSERT, new byte[0]);
    }

    /** Returns the newest version of each key with {@code seq <= snapshotSeq}, by key. */
    static NavigableMap<byte[], ModelEntry> visible(NavigableMap<ModelEntry, ModelEntry> model, long snapshotSeq) {
        NavigableMap<byte[], ModelEntry> visible = new TreeMap<>(KEY_ORDER);
        for (Map.Entry<ModelEntry, ModelEntry> e : model.entrySet()) {
            ModelEntry entry = e.getValue();
            if (entry.seq <= snapshotSeq && !visible.containsKey(entry.key)) {
                visible.put(entry.key, entry);
            }
        }
        return visible;
    }

    /** Returns the cursor's current entry copied out. Requires: the cursor is valid. */
    static ModelEntry of(MemtableCursor cursor) {
        byte[] key = new byte[cursor.keyLength()];
        cursor.key().getBytes(0, key);
        byte[] value = new byte[cursor.valueLength()];
        cursor.value().getBytes(0, value);
        return new ModelEntry(key, cursor.seq(), cursor.kind(), value);
    }

    /** Returns the entry the view shows, copied out. */
    static ModelEntry of(EntryView view) {
        byte[] key = new byte[view.keyLength()];
        view.key().getBytes(0, key);
        byte[] value = new byte[view.valueLength()];
        view.value().getBytes(0, value);
        return new ModelEntry(key, view.seq(), view.kind(), value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelEntry e && seq == e.seq && kind == e.kind && Arrays.equals(key, e.key)
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        String v = value.length <= 16 ? HexFormat.of().formatHex(value) : value.length + " bytes";
        return "(" + HexFormat.of().formatHex(key) + ", " + seq + ", " + kind.shortString() + ", " + v + ")";
    }
}
