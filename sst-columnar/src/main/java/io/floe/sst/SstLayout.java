package io.floe.sst;

/**
 * The SST file format, byte by byte (also drawn in {@code docs/formats/sst.md}). All integers are
 * little-endian; "u32" is an unsigned 32-bit integer that the reader requires to fit an int.
 *
 * <pre>
 * file        := header rowGroup* footer trailer
 * header      := magic[8] = "FLOESST\0"  u32 version  u32 reserved(0)                 16 bytes
 * rowGroup    := chunk[C] bloom? index                 C = physical columns (below)
 * chunk       := page[P]                               P = pages of the row group; pages are
 *                                                      row-aligned across the row group's chunks
 * page        := compressed(body) | body               codec per page (in the index)
 * bloom       := u32 k  u32 numWords  u64 word[numWords]                      (checksum in footer)
 *                version 1: k in 1..30, numWords >= 1; key hash h sets bits (h + i * delta) mod
 *                  (64 * numWords), i in 0..k-1, delta = rotateRight(h, 33) | 1   ({@link BloomFilter})
 *                version 2: k in 1..16, numWords a positive multiple of 8: blocks of 8 words (64 bytes);
 *                  h sets k bits of block ((h >>> 32) * blocks) >>> 32: x = h, then k times
 *                  x *= 0x9E3779B97F4A7C15, bit x >>> 55 of the block   ({@link BlockedBloomFilter})
 * index       := u32 pageCount P  u32 columnCount C                           (checksum in footer)
 *                u32 pageRows[P]
 *                C x ( u64 chunkOffset  u64 chunkLength  stats(chunk)
 *                      P x ( u8 codec  u8 encoding  u16 reserved(0)
 *                            u32 storedLength  u32 rawLength  u32 crc32c(stored bytes)  stats(page) ) )
 * footer      := u32 schemaLength  schema[schemaLength] (SchemaCodec text)
 *                u64 rowCount  u64 minSeq  u64 maxSeq
 *                u32 minKeyLength minKey  u32 maxKeyLength maxKey
 *                u32 columnCount C  C x ( u8 codec  stats(file) )
 *                u32 rowGroupCount G
 *                G x ( u64 firstRow  u32 rowCount  u64 dataOffset
 *                      u64 indexOffset  u32 indexLength  u32 indexCrc
 *                      u64 bloomOffset  u32 bloomLength  u32 bloomCrc  stats(row group, key column only) )
 *                keys                                  version 3 on; absent in versions 1 and 2
 * keys        := u8 ({@link #KEYS_UNIQUE} = 1: every key occurs in one entry of the file;
 *                    {@link #KEYS_REPEATED} = 2: some key occurs in two or more entries; any other value is corruption)
 * trailer     := u64 footerOffset  u32 footerLength  u32 footerCrc  u32 version
 *                u32 crc32c(previous 20 bytes)  magic[8]                                  32 bytes
 * stats       := u64 nullCount  u8 flags (bit 0: min present, bit 1: max present)
 *                [u16 length  min[length]]  [u16 length  max[length]]
 * </pre>
 *
 * <p>Physical columns: 0 = key (memcomparable bytes), 1 = seq (long), 2 = kind (RowKind value), then
 * the schema's columns in schema order. Min and max are in "sortable" form ({@link Sortable}):
 * comparing them as unsigned bytes gives the column order. Values longer than
 * {@link #MAX_STAT_BYTES} are truncated (min to a prefix, max to a prefix incremented at its last
 * byte below 0xFF, or no max); the key column is never truncated.
 *
 * <p>Page bodies (before compression):
 *
 * <pre>
 * body        := nulls values
 * nulls       := u8 0 (no nulls) | u8 1 u32 runCount u32 run[runCount]   runs alternate non-null,
 *                null, non-null, ...; the first run may be 0; runs sum to the page's rows. Present
 *                only for nullable columns. A null's value slot holds 0 / empty bytes.
 * values      := u8 encoding  payload
 *   PLAIN_LONG   (1)  u64 value[n]
 *   FOR          (2)  u64 base  u8 width  packed[ceil(n * width / 8)]       value = base + unpacked
 *   DELTA        (3)  u64 first  u64 minDelta  u8 width  packed[ceil((n - 1) * width / 8)]
 *                     value[i] = value[i - 1] + minDelta + unpacked[i - 1]  (wrapping arithmetic)
 *   RLE          (4)  u32 runCount  runCount x (u64 value  u32 length)
 *   PLAIN_BYTES  (5)  longs(lengths)  u32 dataLength  data[dataLength]
 *   DICT_BYTES   (6)  u32 dictSize  longs(dictLengths)  u32 dictDataLength  dictData  longs(ids)
 *   PREFIX_BYTES (7)  longs(sharedPrefix)  longs(suffixLengths)  u32 dataLength  suffixes
 * longs(x)    := one of the long encodings (1-4) of n values, starting with its encoding byte
 * packed      := values of {@code width} bits each (0..64), little-endian bit order
 * </pre>
 *
 * <p>Versions: a reader accepts every version from {@link #MIN_READABLE_VERSION} to {@link #VERSION};
 * a later version adds a case where the reader branches on {@link #VERSION}, never changes one.
 */
public final class SstLayout {
    /** "FLOESST" and a zero byte, read as a little-endian long. */
    public static final long MAGIC = 0x0054535345_4F4C46L;
    /**
     * Written by this build. 3: the footer ends with whether a key repeats ({@link #KEYS_UNIQUE});
     * 2: the cache-local (blocked) bloom filter; 1: the bit-scattered one.
     */
    public static final int VERSION = 3;
    public static final int MIN_READABLE_VERSION = 1;
    /** The first version whose bloom filters are blocked ({@link BlockedBloomFilter}). */
    public static final int BLOCKED_BLOOM_VERSION = 2;
    /** The first version whose footer ends with the {@code keys} byte ({@link #KEYS_UNIQUE} or {@link #KEYS_REPEATED}). */
    public static final int KEY_MULTIPLICITY_VERSION = 3;
    /** Footer {@code keys} byte: no two entries of the file have the same key. */
    public static final int KEYS_UNIQUE = 1;
    /** Footer {@code keys} byte: at least two entries of the file have the same key (versions of one key). */
    public static final int KEYS_REPEATED = 2;

    public static final int HEADER_BYTES = 16;
    public static final int HEADER_VERSION_OFFSET = 8;
    public static final int TRAILER_BYTES = 32;
    public static final int TRAILER_FOOTER_OFFSET = 0;
    public static final int TRAILER_FOOTER_LENGTH = 8;
    public static final int TRAILER_FOOTER_CRC = 12;
    public static final int TRAILER_VERSION = 16;
    public static final int TRAILER_CRC = 20;
    public static final int TRAILER_MAGIC = 24;
    public static final int TRAILER_CRC_COVERED = 20;

    /** Physical column indexes. */
    public static final int KEY_COLUMN = 0;
    public static final int SEQ_COLUMN = 1;
    public static final int KIND_COLUMN = 2;
    public static final int FIRST_VALUE_COLUMN = 3;

    /** Page value encodings. */
    public static final byte PLAIN_LONG = 1;
    public static final byte FOR = 2;
    public static final byte DELTA = 3;
    public static final byte RLE = 4;
    public static final byte PLAIN_BYTES = 5;
    public static final byte DICT_BYTES = 6;
    public static final byte PREFIX_BYTES = 7;

    public static final byte NULLS_NONE = 0;
    public static final byte NULLS_RUNS = 1;

    /** Page index entry: the fixed bytes before the page's stats. */
    public static final int PAGE_ENTRY_FIXED_BYTES = 16;
    /** Page index entry: the least bytes it takes, its fixed bytes and stats without bounds (u64 nullCount, u8 flags). */
    public static final int PAGE_ENTRY_MIN_BYTES = PAGE_ENTRY_FIXED_BYTES + 8 + 1;

    public static final int STATS_HAS_MIN = 1;
    public static final int STATS_HAS_MAX = 2;
    /** Longest min or max kept in statistics of a non-key column. */
    public static final int MAX_STAT_BYTES = 64;
    /** Longest key the writer accepts (the key column's statistics hold whole keys in a u16). */
    public static final int MAX_KEY_BYTES = 65_535;

    /** Most rows a page holds (the writer's largest page-rows option); the reader allocates per row. */
    public static final int MAX_PAGE_ROWS = 1 << 20;
    /** Largest raw or stored page the reader will allocate for. */
    public static final int MAX_PAGE_BYTES = 256 << 20;
    /** Largest index, bloom or footer block the reader will allocate for. */
    public static final int MAX_BLOCK_BYTES = 512 << 20;

    private SstLayout() {
    }

    /** Returns the name of an encoding byte, or "encoding N" if it is not one. */
    public static String encodingName(int encoding) {
        return switch (encoding) {
            case PLAIN_LONG -> "PLAIN_LONG";
            case FOR -> "FOR";
            case DELTA -> "DELTA";
            case RLE -> "RLE";
            case PLAIN_BYTES -> "PLAIN_BYTES";
            case DICT_BYTES -> "DICT_BYTES";
            case PREFIX_BYTES -> "PREFIX_BYTES";
            default -> "encoding " + encoding;
        };
    }
}
