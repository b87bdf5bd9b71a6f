package io.floe.sst;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.floe.common.error.CorruptionException;
import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Page compression with reused contexts: lz4-java (the at.yawk fork; its safe decompressor, which
 * never reads or writes outside the given ranges) and zstd-jni ({@link ZstdCompressCtx} /
 * {@link ZstdDecompressCtx}, created on first use). Decompression goes straight from one off-heap
 * buffer to another, into exactly the page's raw length, and fails unless it yields exactly that.
 *
 * <p>Memory: the Zstd contexts hold native memory that zstd-jni allocates (not counted by Floe's
 * allocator); {@link #close()} frees them. Buffers belong to the caller.
 * Threads: single owner (one per writer, scan or lookup).
 */
final class Compressor implements AutoCloseable {
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private final int zstdLevel;
    private LZ4Compressor lz4;
    private LZ4SafeDecompressor lz4Decompressor;
    private ZstdCompressCtx zstd;
    private ZstdDecompressCtx zstdDecompressor;

    Compressor(int zstdLevel) {
        this.zstdLevel = zstdLevel;
    }

    /** Returns the most bytes compressing {@code length} bytes can take. */
    long maxCompressedLength(Codec codec, int length) {
        return switch (codec) {
            case NONE -> length;
            case LZ4 -> lz4().maxCompressedLength(length);
            case ZSTD -> Zstd.compressBound(length);
        };
    }

    /**
     * Compresses {@code src[srcOff, srcOff + length)} to {@code dst} at {@code dstOff} and returns the
     * compressed length. Requires: direct buffers; {@code dst} has {@link #maxCompressedLength} bytes at {@code dstOff}.
     */
    int compress(Codec codec, UnsafeBuffer src, int srcOff, int length, UnsafeBuffer dst, int dstOff) {
        ByteBuffer s = src.byteBuffer();
        ByteBuffer d = dst.byteBuffer();
        int sBase = base(src);
        int dBase = base(dst);
        int max = (int) maxCompressedLength(codec, length);
        return switch (codec) {
            case NONE -> {
                dst.putBytes(dstOff, src, srcOff, length);
                yield length;
            }
            case LZ4 -> lz4().compress(s, sBase + srcOff, length, d, dBase + dstOff, max);
            case ZSTD -> zstd().compressDirectByteBuffer(d, dBase + dstOff, max, s, sBase + srcOff, length);
        };
    }

    /**
     * Decompresses {@code src[srcOff, srcOff + length)} into {@code dst[dstOff, dstOff + rawLength)}.
     * Throws {@link CorruptionException} naming {@code file} and {@code fileOffset} unless the
     * stored bytes decompress to exactly {@code rawLength} bytes.
     * Requires: direct buffers holding those ranges.
     */
    void decompress(Codec codec, UnsafeBuffer src, int srcOff, int length, UnsafeBuffer dst, int dstOff, int rawLength,
                    String file, long fileOffset) {
        ByteBuffer s = src.byteBuffer();
        ByteBuffer d = dst.byteBuffer();
        int sBase = base(src);
        int dBase = base(dst);
        int got;
        try {
            got = switch (codec) {
                case NONE -> {
                    if (length != rawLength) {
                        yield -1;
                    }
                    dst.putBytes(dstOff, src, srcOff, length);
                    yield length;
                }
                case LZ4 -> lz4Decompressor().decompress(s, sBase + srcOff, length, d, dBase + dstOff, rawLength);
                case ZSTD -> zstdDecompressor().decompressDirectByteBuffer(d, dBase + dstOff, rawLength, s, sBase + srcOff, length);
            };
        } catch (LZ4Exception | ZstdException e) {
            throw new CorruptionException(file, fileOffset, codec + " page of " + length + " bytes does not decompress: " + e.getMessage(), e);
        }
        if (got != rawLength) {
            throw new CorruptionException(file, fileOffset, codec + " page of " + length + " bytes decompressed to " + got
                    + " bytes, expected " + rawLength);
        }
    }

    /** Returns the index of the view's first byte within its backing ByteBuffer. */
    private static int base(UnsafeBuffer b) {
        ByteBuffer bb = b.byteBuffer();
        if (bb == null || !bb.isDirect()) {
            throw new IllegalArgumentException("compression needs a direct ByteBuffer-backed view");
        }
        return (int) (b.addressOffset() - org.agrona.BufferUtil.address(bb));
    }

    private LZ4Compressor lz4() {
        if (lz4 == null) {
            lz4 = LZ4.fastCompressor();
        }
        return lz4;
    }

    private LZ4SafeDecompressor lz4Decompressor() {
        if (lz4Decompressor == null) {
            lz4Decompressor = LZ4.safeDecompressor();
        }
        return lz4Decompressor;
    }

    private ZstdCompressCtx zstd() {
        if (zstd == null) {
            zstd = new ZstdCompressCtx().setLevel(zstdLevel);
        }
        return zstd;
    }

    private ZstdDecompressCtx zstdDecompressor() {
        if (zstdDecompressor == null) {
            zstdDecompressor = new ZstdDecompressCtx();
        }
        return zstdDecompressor;
    }

    @Override
    public void close() {
        if (zstd != null) {
            zstd.close();
            zstd = null;
        }
        if (zstdDecompressor != null) {
            zstdDecompressor.close();
            zstdDecompressor = null;
        }
    }
}
