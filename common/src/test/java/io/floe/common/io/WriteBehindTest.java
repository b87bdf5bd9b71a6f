package io.floe.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir
    Path dir;

    @Test
    void forcesOnceEnoughBytesWereWrittenAndNotBefore() throws Exception {
        try (Recording ch = new Recording(FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            WriteBehind wb = new WriteBehind(ch, 100);
            wb.written(60);
            wb.finish();
            assertThat(ch.forces.get()).isZero();
            wb.written(40);
            wb.finish();
            assertThat(ch.forces.get()).isEqualTo(1);
            wb.written(99);
            wb.finish();
            assertThat(ch.forces.get()).isEqualTo(1);
            wb.written(1);
            wb.finish();
            assertThat(ch.forces.get()).isEqualTo(2);
        }
    }

    @Test
    void asksWhileAForceIsPendingAreFoldedIntoTheNextOne() throws Exception {
        try (Recording ch = new Recording(FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            ch.block = new CountDownLatch(1);
            WriteBehind wb = new WriteBehind(ch, 10);
            wb.written(10); // starts a force that blocks
            assertThat(ch.started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 50; i++) {
                wb.written(10); // one pending: dropped
            }
            ch.block.countDown();
            wb.finish();
            assertThat(ch.forces.get()).isEqualTo(1);
            wb.written(10);
            wb.finish();
            assertThat(ch.forces.get()).isEqualTo(2);
        }
    }

    @Test
    void aFailedEarlyForceIsReportedByFinish() throws Exception {
        try (Recording ch = new Recording(FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            ch.failure = new IOException("device gone");
            WriteBehind wb = new WriteBehind(ch, 1);
            wb.written(1);
            assertThatThrownBy(wb::finish).isInstanceOf(IOException.class).hasMessage("device gone");
        }
    }

    @Test
    void aChannelClosedUnderAnEarlyForceIsNotAFailure() throws Exception {
        FileChannel real = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        real.close();
        WriteBehind wb = new WriteBehind(real, 1);
        wb.written(1);
        wb.abandon();
        wb.finish();
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThatThrownBy(() -> new WriteBehind(null, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    /** A channel that counts forces, can hold one until released, or fail them. */
    private static final class Recording extends FileChannel {
        final FileChannel real;
        final AtomicInteger forces = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch block;
        volatile IOException failure;

        Recording(FileChannel real) {
            this.real = real;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            started.countDown();
            CountDownLatch b = block;
            if (b != null) {
                try {
                    b.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw failure;
            }
            real.force(metaData);
            forces.incrementAndGet();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
