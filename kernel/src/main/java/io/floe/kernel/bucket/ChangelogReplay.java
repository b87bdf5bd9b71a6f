package io.floe.kernel.bucket;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.ChangelogWriter;
import io.floe.changelog.IsolationLevel;
import io.floe.changelog.TailerOptions;
import io.floe.common.RowKind;
import org.agrona.DirectBuffer;

/**
 * Reads a bucket's changelog back as memtable state: the records with seq in a range, in seq
 * order, without the {@code -U} records (the full changelog producer writes them as output for
 * tailers; they are not state). Used by recovery at open and by a writer's restore.
 *
 * <p>Threads: any; the key and row passed to the sink are valid only during the call.
 */
final class ChangelogReplay {
    private ChangelogReplay() {
    }

    /** Receives one replayed record. */
    interface Sink {
        void accept(long seq, RowKind kind, DirectBuffer key, int keyLength, DirectBuffer row, int rowLength);
    }

    /**
     * Feeds {@code sink} every state record of {@code changelog} with {@code fromSeq <= seq <= toSeq}
     * (committed or not), in seq order. Returns the last seq fed, or -1 if none.
     * Throws as {@link ChangelogTailer#poll()} does (a damaged record is a {@code CorruptionException}).
     */
    static long replay(ChangelogWriter changelog, long fromSeq, long toSeq, Sink sink) {
        long last = -1;
        if (toSeq < fromSeq) {
            return last;
        }
        try (ChangelogTailer tailer = changelog.newTailer(TailerOptions.fromSeq(Math.max(0, fromSeq))
                .withIsolation(IsolationLevel.READ_UNCOMMITTED))) {
            for (ChangelogRecord r = tailer.poll(); r != null && r.seq() <= toSeq; r = tailer.poll()) {
                if (r.seq() < fromSeq || r.kind() == RowKind.UPDATE_BEFORE) {
                    continue;
                }
                sink.accept(r.seq(), r.kind(), r.key(), r.keyLength(), r.row(), r.rowLength());
                last = r.seq();
            }
        }
        return last;
    }
}
