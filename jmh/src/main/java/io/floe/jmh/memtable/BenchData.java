package io.floe.jmh.memtable;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.memory.OffHeapBlock;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The entries every memtable benchmark loads: {@code count} random 16-byte keys (distinct, in
 * random order) with 100-byte values cut from a random pool, held both on the heap (for the
 * {@code byte[]} peers) and off-heap (for Floe, whose callers pass off-heap rows). Entry {@code i}
 * has key {@code keys[16i, 16i+16)} and value {@code values[valueOffset(i), +100)}.
 *
 * <p>Memory: the off-heap copies come from a private allocator and are freed by {@link #close()}.
 * Threads: immutable after construction; read from any thread.
 */
final class BenchData implements AutoCloseable {
    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 100;
    private static final int VALUE_POOL_BYTES = 1 << 16;

    final int count;
    final byte[] keys;
    final byte[] values;
    final UnsafeBuffer offHeapKeys;
    final UnsafeBuffer offHeapValues;
    /** A random permutation of {@code [0, count)}: the order of lookups. */
    final int[] lookupOrder;
    private final OffHeapAllocator allocator = new OffHeapAllocator("bench-data", Long.MAX_VALUE);
    private final OffHeapBlock keyBlock;
    private final OffHeapBlock valueBlock;

    BenchData(int count, long seed) {
        this.count = count;
        SplittableRandom random = new SplittableRandom(seed);
        keys = new byte[count * KEY_BYTES];
        for (int i = 0; i < keys.length; i += 8) {
            long r = random.nextLong();
            for (int j = 0; j < 8; j++) {
                keys[i + j] = (byte) (r >>> (8 * j));
            }
        }
        // 128 random bits per key: a collision among a million keys has probability ~1e-27.
        values = new byte[VALUE_POOL_BYTES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) random.nextInt(256);
        }
        keyBlock = allocator.allocate(MemoryPurpose.OTHER, keys.length);
        keyBlock.buffer().putBytes(0, keys);
        valueBlock = allocator.allocate(MemoryPurpose.OTHER, values.length);
        valueBlock.buffer().putBytes(0, values);
        offHeapKeys = keyBlock.buffer();
        offHeapValues = valueBlock.buffer();
        lookupOrder = new int[count];
        for (int i = 0; i < count; i++) {
            lookupOrder[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = lookupOrder[i];
            lookupOrder[i] = lookupOrder[j];
            lookupOrder[j] = t;
        }
    }

    static int keyOffset(int i) {
        return i * KEY_BYTES;
    }

    static int valueOffset(int i) {
        return (int) ((i * 1_000_003L) % (VALUE_POOL_BYTES - VALUE_BYTES));
    }

    /** Returns key {@code i} as a fresh array. */
    byte[] keyCopy(int i) {
        byte[] key = new byte[KEY_BYTES];
        System.arraycopy(keys, keyOffset(i), key, 0, KEY_BYTES);
        return key;
    }

    /** Returns value {@code i} as a fresh array. */
    byte[] valueCopy(int i) {
        byte[] value = new byte[VALUE_BYTES];
        System.arraycopy(values, valueOffset(i), value, 0, VALUE_BYTES);
        return value;
    }

    @Override
    public void close() {
        keyBlock.close();
        valueBlock.close();
        allocator.close();
    }
}
