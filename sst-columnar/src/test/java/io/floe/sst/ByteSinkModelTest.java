package io.floe.sst;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link ByteSink} (over a {@link Region} with a random initial size) against a byte-array model
 * under random appends, truncations and clears: the bytes written read back, the region's blocks
 * start at the initial size rounded up to a power of two and at least double on growth (so a sink
 * of n bytes grows O(log n) times), and the I/O view covers exactly the asked bytes of the
 * current block.
 */
class ByteSinkModelTest {
    final OffHeapAllocator allocator = new OffHeapAllocator("byte-sink", Long.MAX_VALUE);

    @AfterEach
    void noLeaks() {
        allocator.assertNoLeaks();
    }

    @Test
    void appendsTruncationsAndGrowthMatchTheModel() {
        SplittableRandom r = Seeds.random("ByteSinkModelTest.appends");
        for (int round = 0; round < 40; round++) {
            int initial = r.nextBoolean() ? r.nextInt(1, 200) : r.nextInt(1, 100_000);
            int expectedFirst = expectedFirstBlock(initial);
            assertThat(Region.firstBlockBytes(initial)).as("initial " + initial).isEqualTo(expectedFirst);
            try (ByteSink sink = new ByteSink(allocator, MemoryPurpose.SST_WRITE, initial)) {
                ByteArrayOutputStream model = new ByteArrayOutputStream();
                int lastCapacity = 0;
                int growths = 0;
                for (int op = 0; op < 400; op++) {
                    String at = "round " + round + " initial " + initial + " op " + op;
                    switch (r.nextInt(10)) {
                        case 0 -> {
                            int v = r.nextInt();
                            sink.putByte(v);
                            model.write(v);
                        }
                        case 1 -> {
                            int v = r.nextInt();
                            sink.putShort(v);
                            model.writeBytes(le(2).putShort((short) v).array());
                        }
                        case 2 -> {
                            int v = r.nextInt();
                            sink.putInt(v);
                            model.writeBytes(le(4).putInt(v).array());
                        }
                        case 3 -> {
                            long v = r.nextLong();
                            sink.putLong(v);
                            model.writeBytes(le(8).putLong(v).array());
                        }
                        case 4, 5 -> {
                            byte[] b = new byte[r.nextInt(r.nextInt(10) == 0 ? 50_000 : 300)];
                            r.nextBytes(b);
                            int from = b.length == 0 ? 0 : r.nextInt(b.length);
                            if (r.nextBoolean()) {
                                sink.putBytes(new UnsafeBuffer(b), from, b.length - from);
                            } else {
                                sink.putBytes(b, from, b.length - from);
                            }
                            model.write(b, from, b.length - from);
                        }
                        case 6 -> {
                            int n = r.nextInt(64);
                            int start = sink.reserve(n);
                            assertThat(start).as(at).isEqualTo(model.size());
                            byte[] b = new byte[n];
                            r.nextBytes(b);
                            sink.buffer().putBytes(start, b);
                            model.writeBytes(b);
                        }
                        case 7 -> {
                            int to = model.size() == 0 ? 0 : r.nextInt(model.size() + 1);
                            sink.truncate(to);
                            byte[] kept = Arrays.copyOf(model.toByteArray(), to);
                            model.reset();
                            model.writeBytes(kept);
                        }
                        case 8 -> {
                            if (r.nextInt(8) == 0) {
                                sink.clear();
                                model.reset();
                            }
                        }
                        default -> {
                            if (model.size() > 0) {
                                int n = r.nextInt(model.size() + 1);
                                ByteBuffer io = sink.region().ioBuffer(n);
                                assertThat(io.position()).as(at).isZero();
                                assertThat(io.limit()).as(at).isEqualTo(n);
                                byte[] read = new byte[n];
                                io.get(read);
                                assertThat(read).as(at).isEqualTo(Arrays.copyOf(model.toByteArray(), n));
                            }
                        }
                    }
                    int capacity = sink.buffer().capacity();
                    if (capacity != lastCapacity) {
                        assertThat(capacity).as(at).isGreaterThanOrEqualTo(lastCapacity == 0 ? expectedFirst : 2 * lastCapacity);
                        growths++;
                        lastCapacity = capacity;
                    }
                    assertThat(sink.position()).as(at).isEqualTo(model.size());
                    byte[] actual = new byte[sink.position()];
                    sink.buffer().getBytes(0, actual);
                    assertThat(actual).as(at).isEqualTo(model.toByteArray());
                }
                assertThat(growths).as("round %d", round).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(Math.max(1, lastCapacity)));
            }
        }
    }

    @Test
    void largeHintsClampToTheLargestPowerOfTwoAnIntHolds() {
        // Pure arithmetic: a block of these sizes is never allocated here (blocks come on first ensure).
        for (int initial : new int[] {Integer.MIN_VALUE, -1, 0, 1, 64, 65, 100_000, (1 << 29) + 1, (1 << 30) - 1, 1 << 30, (1 << 30) + 1,
                Integer.MAX_VALUE - 8, Integer.MAX_VALUE}) {
            assertThat(Region.firstBlockBytes(initial)).as("initial " + initial).isEqualTo(expectedFirstBlock(initial)).isPositive();
        }
        try (ByteSink sink = new ByteSink(allocator, MemoryPurpose.SST_WRITE, Integer.MAX_VALUE)) {
            assertThat(sink.buffer().capacity()).isZero();
        }
    }

    /** The model of a region's first block: the least power of two at or above the hint, within [MIN_BYTES, 2^30]. */
    private static int expectedFirstBlock(int initial) {
        long p = 1;
        while (p < initial) {
            p <<= 1;
        }
        return (int) Math.min(Math.max(p, Region.MIN_BYTES), 1L << 30);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.nativeOrder());
    }
}
