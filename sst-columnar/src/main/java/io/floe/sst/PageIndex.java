package io.floe.sst;

/**
 * The index entry of one page of one column chunk ({@link SstLayout}, "index").
 *
 * @param codec        how the stored bytes are compressed
 * @param encoding     the value encoding of the page body
 * @param storedLength bytes in the file
 * @param rawLength    bytes of the body once decompressed
 * @param crc          CRC32C of the stored bytes
 * @param stats        the page's statistics
 */
public record PageIndex(Codec codec, byte encoding, int storedLength, int rawLength, int crc, ColumnStats stats) {
    void write(ByteSink out) {
        writeHead(out, codec, encoding, storedLength, rawLength, crc);
        stats.write(out);
    }

    /** Appends the entry's fields before its statistics (which the caller appends next): the writer's allocation-free form of {@link #write}. */
    static void writeHead(ByteSink out, Codec codec, byte encoding, int storedLength, int rawLength, int crc) {
        out.putByte(codec.id()).putByte(encoding).putShort(0).putInt(storedLength).putInt(rawLength).putInt(crc);
    }

    static PageIndex read(BlockReader in, int rows, long chunkLength) {
        int codecId = in.u8();
        Codec codec = Codec.fromId(codecId);
        if (codec == null) {
            throw in.corrupt("unknown codec " + codecId);
        }
        byte encoding = (byte) in.u8();
        if (in.u16() != 0) {
            throw in.corrupt("reserved page entry bytes are not zero");
        }
        int stored = in.u32("page stored length", 1, Math.min(chunkLength, SstLayout.MAX_PAGE_BYTES));
        int raw = in.u32("page raw length", 1, SstLayout.MAX_PAGE_BYTES);
        if (codec == Codec.NONE && raw != stored) {
            throw in.corrupt("uncompressed page of " + stored + " stored bytes claims " + raw + " raw bytes");
        }
        int crc = in.i32();
        return new PageIndex(codec, encoding, stored, raw, crc, ColumnStats.read(in, rows));
    }
}
