package io.floe.sst;

import java.util.HexFormat;

/**
 * A text description of an SST's structure (for {@code floe inspect}, golden tests and debugging):
 * the trailer, footer, and for each row group its bloom filter and every chunk and page with
 * offsets, lengths, codec, encoding, checksum and statistics.
 *
 * <p>Threads: uses only the immutable parts of the reader; safe from any thread.
 */
public final class SstDump {
    private SstDump() {
    }

    /** Returns the description of {@code reader}'s file. */
    public static String describe(SstReader reader) {
        HexFormat hex = HexFormat.of();
        StringBuilder out = new StringBuilder();
        Footer f = reader.footer;
        out.append("file ").append(reader.file.size()).append(" bytes, version ").append(reader.version()).append('\n');
        out.append("schema ").append(f.schema()).append('\n');
        out.append("rows ").append(f.rowCount()).append(", seq [").append(f.minSeq()).append(", ").append(f.maxSeq()).append("], keys [")
                .append(hex.formatHex(f.minKey())).append(", ").append(hex.formatHex(f.maxKey())).append("], key multiplicity ").append(f.keys()).append('\n');
        for (int c = 0; c < reader.columns.length; c++) {
            out.append("column ").append(c).append(' ').append(reader.columns[c].name()).append(' ').append(reader.columns[c].type())
                    .append(' ').append(f.codecs()[c]).append(" | ").append(f.stats()[c]).append('\n');
        }
        for (int g = 0; g < reader.indexes.length; g++) {
            RowGroupInfo info = f.rowGroups()[g];
            RowGroupIndex index = reader.indexes[g];
            out.append("row group ").append(g).append(": rows ").append(info.firstRow()).append("+").append(info.rowCount())
                    .append(", data @").append(info.dataOffset()).append(", index @").append(info.indexOffset()).append('+')
                    .append(info.indexLength()).append(" crc ").append(Integer.toHexString(info.indexCrc()));
            if (info.bloomLength() > 0) {
                out.append(", bloom @").append(info.bloomOffset()).append('+').append(info.bloomLength()).append(" crc ")
                        .append(Integer.toHexString(info.bloomCrc()));
            }
            out.append('\n');
            out.append("  page rows");
            for (int rows : index.pageRows) {
                out.append(' ').append(rows);
            }
            out.append('\n');
            for (int c = 0; c < index.chunks.length; c++) {
                ChunkIndex chunk = index.chunks[c];
                out.append("  chunk ").append(reader.columns[c].name()).append(" @").append(chunk.offset()).append('+').append(chunk.length())
                        .append(" | ").append(chunk.stats()).append('\n');
                for (int p = 0; p < chunk.pageCount(); p++) {
                    PageIndex e = chunk.page(p);
                    out.append("    page ").append(p).append(" @").append(chunk.pageOffset(p)).append(' ').append(e.codec()).append(' ')
                            .append(SstLayout.encodingName(e.encoding())).append(" stored ").append(e.storedLength()).append(" raw ")
                            .append(e.rawLength()).append(" crc ").append(Integer.toHexString(e.crc())).append(" | ").append(e.stats()).append('\n');
                }
            }
        }
        long trailer = reader.file.size() - SstLayout.TRAILER_BYTES;
        out.append("footer @").append(f.rowGroups()[f.rowGroups().length - 1].indexOffset() + f.rowGroups()[f.rowGroups().length - 1].indexLength())
                .append(", trailer @").append(trailer).append('\n');
        return out.toString();
    }
}
