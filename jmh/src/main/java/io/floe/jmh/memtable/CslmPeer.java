package io.floe.jmh.memtable;

import java.util.Arrays;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * {@code ConcurrentSkipListMap<byte[], byte[]>} ordered by {@link Arrays#compareUnsigned}. With
 * {@code copy} each put copies the key and value into fresh arrays, as a memtable built on it must
 * (it cannot keep the caller's buffer); without, it links arrays built before the measurement (the
 * lower bound of its cost). Lookups use keys built beforehand.
 */
final class CslmPeer implements KvPeer {
    private final BenchData data;
    private final boolean copy;
    private final byte[][] prebuiltKeys;
    private final byte[][] prebuiltValues;
    final ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    CslmPeer(BenchData data, boolean copy) {
        this.data = data;
        this.copy = copy;
        prebuiltKeys = new byte[data.count][];
        for (int i = 0; i < data.count; i++) {
            prebuiltKeys[i] = data.keyCopy(i);
        }
        prebuiltValues = copy ? null : new byte[data.count][];
        if (!copy) {
            for (int i = 0; i < data.count; i++) {
                prebuiltValues[i] = data.valueCopy(i);
            }
        }
    }

    @Override
    public void reset() {
        map.clear();
    }

    @Override
    public Session newSession() {
        return new Session() {
            @Override
            public void put(int i) {
                if (copy) {
                    int k = BenchData.keyOffset(i);
                    int v = BenchData.valueOffset(i);
                    map.put(Arrays.copyOfRange(data.keys, k, k + BenchData.KEY_BYTES),
                            Arrays.copyOfRange(data.values, v, v + BenchData.VALUE_BYTES));
                } else {
                    map.put(prebuiltKeys[i], prebuiltValues[i]);
                }
            }

            @Override
            public long get(int i) {
                byte[] value = map.get(prebuiltKeys[i]);
                return value == null ? -1 : (value[0] & 0xFF) | (value[7] & 0xFFL) << 56;
            }
        };
    }

    /** Returns the entry count (its memory is measured by {@link MemtableFootprint}). */
    @Override
    public long memoryBytes() {
        return map.size();
    }

    @Override
    public void close() {
        map.clear();
    }
}
