package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.CorruptionException;
import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import java.util.Arrays;

/**
 * The parsed footer ({@link SstLayout}, "footer"). Immutable once read; shared by reader threads.
 */
record Footer(Schema schema, long rowCount, long minSeq, long maxSeq, byte[] minKey, byte[] maxKey, Codec[] codecs,
              ColumnStats[] stats, RowGroupInfo[] rowGroups) {

    void write(ByteSink out) {
        byte[] schemaBytes = SchemaCodec.toBytes(schema);
        out.putInt(schemaBytes.length).putBytes(schemaBytes);
        out.putLong(rowCount).putLong(minSeq).putLong(maxSeq);
        out.putInt(minKey.length).putBytes(minKey);
        out.putInt(maxKey.length).putBytes(maxKey);
        out.putInt(codecs.length);
        for (int c = 0; c < codecs.length; c++) {
            out.putByte(codecs[c].id());
            stats[c].write(out);
        }
        out.putInt(rowGroups.length);
        for (RowGroupInfo g : rowGroups) {
            g.write(out);
        }
    }

    /** Reads a footer that starts at file offset {@code footerOffset}; every offset is checked against it. */
    static Footer read(BlockReader in, String file, long footerOffset) {
        int schemaLength = in.u32("schema length", 1, in.remaining());
        long schemaAt = in.fileOffset();
        byte[] schemaBytes = in.bytes(schemaLength);
        Schema schema;
        try {
            schema = SchemaCodec.fromBytes(schemaBytes, file);
        } catch (CorruptionException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CorruptionException(file, schemaAt, "footer schema does not parse: " + e.getMessage(), e);
        }
        long rowCount = in.u64("row count", 1, Long.MAX_VALUE);
        long minSeq = in.i64();
        long maxSeq = in.i64();
        if (minSeq > maxSeq) {
            throw in.corrupt("min seq " + minSeq + " is above max seq " + maxSeq);
        }
        byte[] minKey = in.bytes(in.u32("min key length", 0, SstLayout.MAX_KEY_BYTES));
        byte[] maxKey = in.bytes(in.u32("max key length", 0, SstLayout.MAX_KEY_BYTES));
        if (ByteComparisons.compare(minKey, maxKey) > 0) {
            throw in.corrupt("min key is above max key");
        }
        int columns = FileColumn.of(schema).length;
        in.u32("column count", columns, columns);
        Codec[] codecs = new Codec[columns];
        ColumnStats[] stats = new ColumnStats[columns];
        for (int c = 0; c < columns; c++) {
            int id = in.u8();
            codecs[c] = Codec.fromId(id);
            if (codecs[c] == null) {
                throw in.corrupt("unknown codec " + id + " of column " + c);
            }
            stats[c] = ColumnStats.read(in, rowCount);
        }
        int groups = in.u32("row group count", 1, Math.min(rowCount, in.remaining()));
        RowGroupInfo[] rowGroups = new RowGroupInfo[groups];
        long firstRow = 0;
        long minOffset = SstLayout.HEADER_BYTES;
        for (int g = 0; g < groups; g++) {
            rowGroups[g] = RowGroupInfo.read(in, firstRow, rowCount, minOffset, footerOffset);
            firstRow += rowGroups[g].rowCount();
            minOffset = rowGroups[g].indexOffset() + rowGroups[g].indexLength();
        }
        if (firstRow != rowCount) {
            throw in.corrupt("row groups hold " + firstRow + " rows but the footer says " + rowCount);
        }
        if (!Arrays.equals(minKey, rowGroups[0].keyStats().min()) || !Arrays.equals(maxKey, rowGroups[groups - 1].keyStats().max())) {
            throw in.corrupt("the file's key range differs from its row groups' key range");
        }
        in.expectEnd();
        return new Footer(schema, rowCount, minSeq, maxSeq, minKey, maxKey, codecs, stats, rowGroups);
    }
}
