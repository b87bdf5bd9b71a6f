package io.floe.kernel.bucket;

import io.floe.memtable.Memtable;
import java.util.ArrayList;
import java.util.List;

/**
 * The memtables of a bucket at one moment: the mutable one the writer inserts into and the full
 * ones waiting for (or in) their flush, newest first. Immutable; the bucket publishes a new set
 * under its lock on every switch and flush.
 *
 * @param mutable    the memtable writes go to
 * @param immutables full memtables, newest first; the last is flushed next
 */
record MemtableSet(Memtable mutable, List<Memtable> immutables) {
    MemtableSet {
        immutables = List.copyOf(immutables);
    }

    /** Returns the set after {@code mutable} turned immutable and {@code fresh} took its place. */
    MemtableSet switchTo(Memtable fresh) {
        List<Memtable> next = new ArrayList<>(immutables.size() + 1);
        next.add(mutable);
        next.addAll(immutables);
        return new MemtableSet(fresh, next);
    }

    /** Returns the oldest immutable memtable, or null if none. */
    Memtable oldestImmutable() {
        return immutables.isEmpty() ? null : immutables.get(immutables.size() - 1);
    }

    /** Returns the set without its oldest immutable memtable (just flushed). Requires: it has one. */
    MemtableSet withoutOldest() {
        return new MemtableSet(mutable, immutables.subList(0, immutables.size() - 1));
    }

    /** Returns every memtable, newest first. */
    List<Memtable> newestFirst() {
        List<Memtable> all = new ArrayList<>(immutables.size() + 1);
        all.add(mutable);
        all.addAll(immutables);
        return all;
    }
}
