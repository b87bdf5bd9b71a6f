package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogWriter;
import io.floe.common.error.MemoryLimitException;
import io.floe.memtable.InsertStatus;
import io.floe.memtable.Memtable;
import io.floe.memtable.MemtableOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Memtables built aside from a bucket's changelog (a restore replaces a bucket's memtables with
 * these): as many memtables as the records need, none flushed, none visible to anyone until the
 * bucket swaps them in.
 *
 * <p>Memory: the memtables come from the table's allocator; the caller owns them (their creator
 * references) once {@link #build} returns, and on an exception none is left allocated.
 */
final class ReplayedMemtables {
    private ReplayedMemtables() {
    }

    /**
     * Returns memtables holding every state record of {@code changelog} with seq in
     * [{@code fromSeq}, {@code toSeq}], newest first (the first is the one to keep writing into).
     * Throws {@link MemoryLimitException} if one record does not fit an empty memtable, or as
     * {@link ChangelogReplay#replay} does.
     */
    static List<Memtable> build(TableContext ctx, MemtableOptions options, ChangelogWriter changelog, int bucket,
                                long fromSeq, long toSeq) {
        List<Memtable> built = new ArrayList<>();
        try {
            built.add(Memtable.create(ctx.allocator(), options));
            ChangelogReplay.replay(changelog, fromSeq, toSeq, (seq, kind, key, keyLength, row, rowLength) -> {
                Memtable m = built.get(built.size() - 1);
                while (m.insert(key, 0, keyLength, seq, kind, row, 0, rowLength) == InsertStatus.FULL) {
                    if (m.isEmpty()) {
                        throw new MemoryLimitException("an empty memtable of bucket " + bucket + " of " + ctx.layout().dir()
                                + " has no room for an entry of " + (keyLength + rowLength) + " bytes");
                    }
                    m = Memtable.create(ctx.allocator(), options);
                    built.add(m);
                }
            });
            Collections.reverse(built);
            return built;
        } catch (RuntimeException | Error e) {
            built.forEach(Memtable::close);
            throw e;
        }
    }
}
