package io.floe.jmh.kernel;

import io.floe.common.schema.Schema;
import io.floe.kernel.options.Compression;

/**
 * How every engine of a kernel benchmark is configured alike: the rows' schema and size, the
 * compression of every file ({@code codec} parameter), the write buffer per writer ({@code
 * memtableMiB} parameter: Floe's memtable of each bucket, Paimon's write buffer of each table
 * writer, RocksDB's one write buffer sized {@code writers} times that), whether the engine compacts
 * on its own, and how many writer threads write it at once ({@code writers} parameter; see
 * {@link KernelPeer#writer}).
 *
 * @param schema         the rows' schema
 * @param rowBytes       the size of every row in Floe's binary layout (RocksDB stores those bytes)
 * @param codec          the compression of every file
 * @param memtableMiB    the write buffer of each writer, in MiB
 * @param autoCompaction false to build sorted runs that only an explicit full compaction merges
 * @param writers        the writers, each with a slice of the keys (Floe and Paimon: a table of
 *                       that many buckets, one per writer), 1 to {@value #MAX_WRITERS}
 */
record KernelPeerConfig(Schema schema, int rowBytes, Compression codec, int memtableMiB, boolean autoCompaction, int writers) {
    /** The write buffer the kernel benchmarks measured before they had the parameter. */
    static final int DEFAULT_MEMTABLE_MIB = 64;
    static final int MAX_WRITERS = 64;

    /** Throws {@link IllegalArgumentException} if {@code writers} is out of range. */
    KernelPeerConfig {
        if (writers < 1 || writers > MAX_WRITERS) {
            throw new IllegalArgumentException("writers must be 1 to " + MAX_WRITERS + ", got " + writers);
        }
    }

    /** Returns the configuration for the rows of {@code data} and one writer; {@code codec} is none, lz4 or zstd in any case. */
    static KernelPeerConfig of(KernelBenchData data, String codec, int memtableMiB, boolean autoCompaction) {
        return of(data, codec, memtableMiB, autoCompaction, 1);
    }

    /** Returns the configuration for the rows of {@code data} and {@code writers} writers. */
    static KernelPeerConfig of(KernelBenchData data, String codec, int memtableMiB, boolean autoCompaction, int writers) {
        return new KernelPeerConfig(data.schema, data.rowBytes, Compression.parse("codec", codec), memtableMiB, autoCompaction, writers);
    }
}
