package io.floe.jmh.kernel;

import io.floe.common.schema.Schema;
import io.floe.kernel.options.Compression;

/**
 * How every engine of a kernel benchmark is configured alike: the rows' schema and size, the
 * compression of every file ({@code codec} parameter), the write buffer per engine ({@code
 * memtableMiB} parameter: Floe's memtable, RocksDB's write buffer, Paimon's write buffer) and
 * whether the engine compacts on its own.
 *
 * @param schema         the rows' schema
 * @param rowBytes       the size of every row in Floe's binary layout (RocksDB stores those bytes)
 * @param codec          the compression of every file
 * @param memtableMiB    the write buffer, in MiB
 * @param autoCompaction false to build sorted runs that only an explicit full compaction merges
 */
record KernelPeerConfig(Schema schema, int rowBytes, Compression codec, int memtableMiB, boolean autoCompaction) {
    /** The write buffer the kernel benchmarks measured before they had the parameter. */
    static final int DEFAULT_MEMTABLE_MIB = 64;

    /** Returns the configuration for the rows of {@code data}; {@code codec} is none, lz4 or zstd in any case. */
    static KernelPeerConfig of(KernelBenchData data, String codec, int memtableMiB, boolean autoCompaction) {
        return new KernelPeerConfig(data.schema, data.rowBytes, Compression.parse("codec", codec), memtableMiB, autoCompaction);
    }
}
