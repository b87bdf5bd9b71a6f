package io.floe.kernel.bucket;

import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.kernel.manifest.VersionSet;
import io.floe.kernel.merge.MergeEngine;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.table.SstFiles;
import io.floe.kernel.table.TableLayout;
import java.util.concurrent.Executor;

/**
 * What every bucket of one open table shares. Immutable (its parts are thread-safe).
 *
 * @param layout     where the table's files are
 * @param schema     the table's schema
 * @param options    the table's options
 * @param engine     how entries of a key combine on reads and compactions (deduplicate under the
 *                   full changelog producer, whose stored rows are already merged)
 * @param writeEngine how the writer combines a written row with the old one (the table's engine)
 * @param allocator  off-heap memory of memtables, SST buffers and rows
 * @param versions   the table's manifest
 * @param files      the open SST readers
 * @param background the Floe's background threads (flushes, compactions)
 * @param clockMillis the store's wall clock (epoch millis): commit times, changelog retention
 */
public record TableContext(TableLayout layout, Schema schema, TableOptions options, MergeEngine engine, MergeEngine writeEngine,
                           OffHeapAllocator allocator, VersionSet versions, SstFiles files, Executor background,
                           java.util.function.LongSupplier clockMillis) {
}
