package io.floe.sst;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Makes the checksums of a (mutated) SST match its bytes again, so that a fuzzer's mutations reach
 * the decoders behind the checksums. Walks the structure of {@link SstLayout} leniently and
 * independently of the reader: every page CRC in every index block it can parse, then each index
 * block's and bloom block's CRC in the footer, then the footer CRC and the trailer CRC. A part it
 * cannot parse (an offset outside the file, a truncated block) is left as it is; what can still be
 * fixed around it is fixed. Test code only.
 */
final class SstChecksumFixer {
    /** Parsing ran off the bytes: stop fixing this part. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private final ByteBuffer b;
    private final int size;

    private SstChecksumFixer(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.size = bytes.length;
    }

    /** Rewrites the checksums of {@code bytes} in place wherever its structure can be followed. */
    static void fix(byte[] bytes) {
        if (bytes.length < SstLayout.HEADER_BYTES + SstLayout.TRAILER_BYTES) {
            return;
        }
        new SstChecksumFixer(bytes).fixAll();
    }

    private void fixAll() {
        int trailer = size - SstLayout.TRAILER_BYTES;
        long footerOffset = b.getLong(trailer + SstLayout.TRAILER_FOOTER_OFFSET);
        long footerLength = b.getInt(trailer + SstLayout.TRAILER_FOOTER_LENGTH) & 0xFFFFFFFFL;
        if (footerOffset >= 0 && footerOffset + footerLength <= trailer) {
            int footer = (int) footerOffset;
            int footerEnd = (int) (footerOffset + footerLength);
            try {
                fixRowGroups(footer, footerEnd);
            } catch (Stop | IndexOutOfBoundsException e) {
                // a part of the footer does not parse: keep what was fixed
            }
            b.putInt(trailer + SstLayout.TRAILER_FOOTER_CRC, crc(footer, footerEnd - footer));
        }
        b.putInt(trailer + SstLayout.TRAILER_CRC, crc(trailer, SstLayout.TRAILER_CRC_COVERED));
    }

    /** Walks the footer up to the row groups and fixes each group's blocks. */
    private void fixRowGroups(int at, int end) {
        Cursor in = new Cursor(at, end);
        in.skip(in.u32());
        in.skip(24);
        in.skip(in.u32());
        in.skip(in.u32());
        long columns = in.u32();
        for (long c = 0; c < columns; c++) {
            in.skip(1);
            skipStats(in);
        }
        long groups = in.u32();
        for (long g = 0; g < groups; g++) {
            in.skip(8 + 4 + 8);
            long indexOffset = in.i64();
            long indexLength = in.u32();
            int indexCrcAt = in.skip(4);
            long bloomOffset = in.i64();
            long bloomLength = in.u32();
            int bloomCrcAt = in.skip(4);
            skipStats(in);
            if (inFile(indexOffset, indexLength)) {
                try {
                    fixPages((int) indexOffset, (int) (indexOffset + indexLength));
                } catch (Stop | IndexOutOfBoundsException e) {
                    // this index block does not parse; its own CRC is still fixed below
                }
                b.putInt(indexCrcAt, crc((int) indexOffset, (int) indexLength));
            }
            if (inFile(bloomOffset, bloomLength)) {
                b.putInt(bloomCrcAt, crc((int) bloomOffset, (int) bloomLength));
            }
        }
    }

    /** Fixes the CRC of every page that an index block describes. */
    private void fixPages(int at, int end) {
        Cursor in = new Cursor(at, end);
        long pages = in.u32();
        long columns = in.u32();
        in.skip(4 * pages);
        for (long c = 0; c < columns; c++) {
            long pageOffset = in.i64();
            in.skip(8);
            skipStats(in);
            for (long p = 0; p < pages; p++) {
                in.skip(4);
                long stored = in.u32();
                in.skip(4);
                int crcAt = in.skip(4);
                skipStats(in);
                if (inFile(pageOffset, stored)) {
                    b.putInt(crcAt, crc((int) pageOffset, (int) stored));
                }
                pageOffset += stored;
            }
        }
    }

    private static void skipStats(Cursor in) {
        in.skip(8);
        int flags = in.u8();
        if ((flags & SstLayout.STATS_HAS_MIN) != 0) {
            in.skip(in.u16());
        }
        if ((flags & SstLayout.STATS_HAS_MAX) != 0) {
            in.skip(in.u16());
        }
    }

    private boolean inFile(long offset, long length) {
        return offset >= 0 && length >= 0 && offset + length <= size;
    }

    private int crc(int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b.array(), offset, length);
        return (int) crc.getValue();
    }

    /** A little-endian cursor over {@code [at, end)} that throws {@link Stop} when it would leave it. */
    private final class Cursor {
        private int position;
        private final int end;

        Cursor(int at, int end) {
            this.position = at;
            this.end = end;
        }

        int skip(long n) {
            if (n < 0 || n > end - position) {
                throw new Stop();
            }
            int at = position;
            position += (int) n;
            return at;
        }

        int u8() {
            return b.get(skip(1)) & 0xFF;
        }

        int u16() {
            return b.getShort(skip(2)) & 0xFFFF;
        }

        long u32() {
            return b.getInt(skip(4)) & 0xFFFFFFFFL;
        }

        long i64() {
            return b.getLong(skip(8));
        }
    }
}
