package io.floe.sst;

import io.floe.common.bytes.ByteComparisons;
import io.floe.common.error.CorruptionException;
import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import java.util.Arrays;

/**
 * The parsed footer ({@link SstLayout}, "footer"). Immutable once read; shared by reader threads.
 * {@code keys} is {@link SstMetadata.KeyMultiplicity#UNKNOWN} for a footer of version 1 or 2 (which
 * has no {@code keys} byte); this build writes only {@link SstLayout#VERSION}, so never UNKNOWN.
 */
record Footer(Schema schema, long rowCount, long minSeq, long maxSeq, byte[] minKey, byte[] maxKey, Codec[] codecs,
              ColumnStats[] stats, RowGroupInfo[] rowGroups, SstMetadata.KeyMultiplicity keys) {

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
        out.putByte((byte) switch (keys) {
            case UNIQUE -> SstLayout.KEYS_UNIQUE;
            case REPEATED -> SstLayout.KEYS_REPEATED;
            case UNKNOWN -> throw new IllegalStateException("a footer of version " + SstLayout.VERSION + " records whether keys repeat");
        });
    }

    /**
     * Reads a footer of format {@code version} that starts at file offset {@code footerOffset};
     * every offset is checked against it.
     */
    static Footer read(BlockReader in, String file, long footerOffset, int version) {
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
        SstMetadata.KeyMultiplicity keys = version >= SstLayout.KEY_MULTIPLICITY_VERSION ? readKeys(in, file, rowCount, minKey, maxKey)
                : SstMetadata.KeyMultiplicity.UNKNOWN;
        in.expectEnd();
        return new Footer(schema, rowCount, minSeq, maxSeq, minKey, maxKey, codecs, stats, rowGroups, keys);
    }

    /** Reads the {@code keys} byte; throws {@link CorruptionException} if it is no known value or contradicts the key range. */
    private static SstMetadata.KeyMultiplicity readKeys(BlockReader in, String file, long rowCount, byte[] minKey, byte[] maxKey) {
        long at = in.fileOffset();
        int value = in.u8();
        SstMetadata.KeyMultiplicity keys = switch (value) {
            case SstLayout.KEYS_UNIQUE -> SstMetadata.KeyMultiplicity.UNIQUE;
            case SstLayout.KEYS_REPEATED -> SstMetadata.KeyMultiplicity.REPEATED;
            default -> throw new CorruptionException(file, at, "footer: keys " + value + " is neither " + SstLayout.KEYS_UNIQUE
                    + " (unique) nor " + SstLayout.KEYS_REPEATED + " (repeated)");
        };
        // Entries of one key in a file of two or more entries: a key repeats, whatever the byte says.
        if (keys == SstMetadata.KeyMultiplicity.UNIQUE && rowCount > 1 && Arrays.equals(minKey, maxKey)) {
            throw new CorruptionException(file, at, "footer: keys say unique, but " + rowCount + " entries have one key");
        }
        return keys;
    }
}
