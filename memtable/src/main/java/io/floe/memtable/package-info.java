/**
 * The memtable: an off-heap concurrent arena skiplist of multi-version entries
 * {@code (key, seq, kind, value)}. Start at {@link io.floe.memtable.Memtable}; the in-memory layout
 * is drawn in {@link io.floe.memtable.NodeLayout} and {@code docs/formats/memtable.md}.
 */
package io.floe.memtable;
