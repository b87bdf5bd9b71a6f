package io.floe.sst;

import io.floe.common.RowKind;
import java.util.Arrays;

/** A model entry: key bytes, seq, kind and the row's values as Java objects (test only). */
record Entry(byte[] key, long seq, RowKind kind, Object[] values) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Arrays.equals(key, e.key) && seq == e.seq && kind == e.kind && Arrays.deepEquals(values, e.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "Entry{" + java.util.HexFormat.of().formatHex(key) + ", " + seq + ", " + kind + ", " + Arrays.deepToString(values) + "}";
    }
}
