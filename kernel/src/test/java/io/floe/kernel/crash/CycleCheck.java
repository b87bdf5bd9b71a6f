package io.floe.kernel.crash;

import io.floe.changelog.ChangelogRecord;
import io.floe.changelog.ChangelogTailer;
import io.floe.changelog.IsolationLevel;
import io.floe.common.RowKind;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.kernel.Lookup;
import io.floe.kernel.RowScan;
import io.floe.kernel.ScanOptions;
import io.floe.kernel.Snapshot;
import io.floe.kernel.Table;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks a table reopened after a kill against the {@link OracleState} of the cycle before and the
 * killed child's {@link ExpectedLog}, and advances the state. Per bucket:
 *
 * <ul>
 *   <li>The read-uncommitted tailer from the start returns seqs 1, 2, 3, ... without a gap or a
 *       duplicate; the records the earlier cycles checked are unchanged (their digest); after them
 *       come exactly the child's pending writes to the bucket, in op order, a prefix of them (a
 *       kill keeps a prefix of the write-ahead log): nothing that was not written, nothing twice,
 *       no row changed. Every write a commit acknowledged is in that prefix.</li>
 *   <li>The read-committed tailer from the start returns the same records as the uncommitted one,
 *       up to some seq at or above the last acknowledged write's.</li>
 *   <li>The table equals the writes of that prefix applied to the previous state: every key holds
 *       the row of its last write in the prefix (the acknowledged value or a later in-flight one;
 *       an in-flight write shows its old or its new value, nothing else), by scan and by point
 *       lookup; no other row exists.</li>
 * </ul>
 *
 * Throws {@link AssertionError} naming the cycle, bucket, seq and key on the first disagreement.
 */
final class CycleCheck {
    /** What one cycle verified: writes acknowledged in it, in-flight writes at the kill and how many of them survived. */
    record Result(long acknowledged, long inFlight, long inFlightSurvived, int presentKeys, int sortedRuns) {
    }

    private final Table table;
    private final OracleState state;
    private final int cycle;
    private final RowReader reader = new RowReader(CrashTable.SCHEMA);
    private final RowReader other = new RowReader(CrashTable.SCHEMA);

    private CycleCheck(Table table, OracleState state, int cycle) {
        this.table = table;
        this.state = state;
        this.cycle = cycle;
    }

    /** Checks {@code table} against {@code state} and {@code log}, then advances {@code state} to what the table holds. */
    static Result verify(Table table, OracleState state, List<ExpectedLog.Entry> log, int cycle) {
        return new CycleCheck(table, state, cycle).run(log);
    }

    private Result run(List<ExpectedLog.Entry> log) {
        List<List<ExpectedLog.Entry>> pending = new ArrayList<>();
        long[] doneOp = new long[CrashTable.BUCKETS];
        java.util.Arrays.fill(doneOp, Long.MIN_VALUE);
        for (int b = 0; b < CrashTable.BUCKETS; b++) {
            pending.add(new ArrayList<>());
        }
        long nextOp = state.nextOp;
        try (OffHeapAllocator allocator = new OffHeapAllocator("cycle check", Long.MAX_VALUE);
             RowWriter row = new RowWriter(CrashTable.SCHEMA, allocator)) {
            KeyEncoder keys = table.keyEncoder();
            UnsafeBuffer key = new UnsafeBuffer(new byte[64]);
            for (ExpectedLog.Entry e : log) {
                if (e.isPending()) {
                    check(e.op() == nextOp, "log: pending op %d follows op %d", e.op(), nextOp - 1);
                    int keyLength = keys.encode(reader.wrap(row.buffer(), 0, CrashTable.row(row, e.b(), 0)), key, 0);
                    check(table.bucketOf(key, 0, keyLength) == e.bucket(), "log: op %d key %d is not in bucket %d", e.op(), e.b(), e.bucket());
                    pending.get(e.bucket()).add(e);
                    nextOp++;
                } else {
                    check(e.op() >= state.nextOp - 1 && e.op() < nextOp && e.op() >= doneOp[e.bucket()],
                            "log: done up to op %d of bucket %d out of order", e.op(), e.bucket());
                    doneOp[e.bucket()] = e.op();
                }
            }
            long acknowledged = 0;
            long inFlight = 0;
            long survived = 0;
            for (int b = 0; b < CrashTable.BUCKETS; b++) {
                List<ExpectedLog.Entry> mine = pending.get(b);
                int kept = checkChangelog(b, mine, doneOp[b]);
                int ackedNew = 0;
                while (ackedNew < mine.size() && mine.get(ackedNew).op() <= doneOp[b]) {
                    ackedNew++;
                }
                if (kept < ackedNew) {
                    check(false, "bucket %d: acknowledged write %d to key %d lost (%d of the cycle's writes acknowledged, %d kept)", b,
                            mine.get(kept).op(), mine.get(kept).b(), ackedNew, kept);
                }
                acknowledged += ackedNew;
                inFlight += mine.size() - ackedNew;
                survived += kept - ackedNew;
                for (int i = 0; i < kept; i++) {
                    ExpectedLog.Entry e = mine.get(i);
                    state.values[(int) e.b()] = e.type() == ExpectedLog.PENDING_DELETE ? -1 : e.op();
                }
            }
            state.nextOp = nextOp;
            int present = checkTable(row, keys, key);
            int runs = 0;
            for (int b = 0; b < CrashTable.BUCKETS; b++) {
                runs += table.stats(b).sortedRuns();
            }
            state.cycles++;
            return new Result(acknowledged, inFlight, survived, present, runs);
        }
    }

    /**
     * Checks bucket {@code b}'s changelog through both tailers in lockstep and advances the state's
     * seqs and digest. Returns how many of {@code mine} (the cycle's pending writes to b) it keeps.
     */
    private int checkChangelog(int b, List<ExpectedLog.Entry> mine, long doneOp) {
        long digest = 0;
        long seq = 0;
        int kept = 0;
        long committedEnd = -1;
        long ackedSeq = state.ackedSeq[b];
        if (doneOp != Long.MIN_VALUE) {
            // A commit in this cycle acknowledged every record of earlier cycles.
            ackedSeq = Math.max(ackedSeq, state.verifiedSeq[b]);
        }
        try (ChangelogTailer uncommitted = table.tail(b, 0, IsolationLevel.READ_UNCOMMITTED);
             ChangelogTailer committed = table.tail(b, 0, IsolationLevel.READ_COMMITTED)) {
            boolean committedOpen = true;
            for (ChangelogRecord u = uncommitted.poll(); u != null; u = uncommitted.poll()) {
                check(u.seq() == seq + 1, "bucket %d: seq %d follows seq %d (a gap or a duplicate)", b, u.seq(), seq);
                seq = u.seq();
                reader.wrap(u.row(), 0, u.rowLength());
                long id = reader.getLong(0);
                long v = reader.getLong(1);
                String pad = reader.getString(2);
                if (seq <= state.verifiedSeq[b]) {
                    digest = OracleState.digest(digest, seq, u.kind().ordinal(), id, v, u.rowLength());
                    if (seq == state.verifiedSeq[b]) {
                        check(digest == state.digest[b], "bucket %d: the records up to seq %d, checked before, changed", b, seq);
                    }
                } else {
                    check(kept < mine.size(), "bucket %d seq %d: write %d to key %d was never made (or appears twice)", b, seq, v, id);
                    ExpectedLog.Entry e = mine.get(kept);
                    RowKind kind = e.type() == ExpectedLog.PENDING_DELETE ? RowKind.DELETE : RowKind.INSERT;
                    check(v == e.op() && id == e.b() && u.kind() == kind && pad.equals(CrashTable.pad(v)),
                            "bucket %d seq %d: %s key %d write %d, expected %s key %d write %d", b, seq, u.kind(), id, v, kind, e.b(), e.op());
                    digest = OracleState.digest(digest, seq, u.kind().ordinal(), id, v, u.rowLength());
                    if (e.op() <= doneOp) {
                        ackedSeq = seq;
                    }
                    kept++;
                }
                if (committedOpen) {
                    ChangelogRecord c = committed.poll();
                    if (c == null) {
                        committedOpen = false;
                    } else {
                        check(c.seq() == seq && c.kind() == u.kind() && sameRow(c.row(), c.rowLength(), id, v),
                                "bucket %d: read-committed returns seq %d %s where read-uncommitted returns seq %d %s", b, c.seq(), c.kind(), seq, u.kind());
                        committedEnd = seq;
                    }
                }
            }
            check(seq >= state.verifiedSeq[b], "bucket %d: the changelog ends at seq %d, records up to seq %d were there before", b, seq,
                    state.verifiedSeq[b]);
            if (committedOpen) {
                check(committed.poll() == null, "bucket %d: read-committed returns a record after the last uncommitted seq %d", b, seq);
            }
        }
        check(committedEnd >= ackedSeq || ackedSeq <= 0, "bucket %d: read-committed ends at seq %d, acknowledged up to seq %d", b,
                committedEnd, ackedSeq);
        state.verifiedSeq[b] = seq;
        state.digest[b] = digest;
        state.ackedSeq[b] = ackedSeq;
        return kept;
    }

    private boolean sameRow(DirectBuffer row, int length, long id, long v) {
        other.wrap(row, 0, length);
        return other.getLong(0) == id && other.getLong(1) == v && other.getString(2).equals(CrashTable.pad(v));
    }

    /** Checks the table by scan and by point lookup against the state's values; returns the number of rows. */
    private int checkTable(RowWriter row, KeyEncoder keys, UnsafeBuffer key) {
        boolean[] seen = new boolean[CrashTable.KEYS];
        int rows = 0;
        try (Snapshot s = table.snapshot()) {
            for (int b = 0; b < s.bucketCount(); b++) {
                try (RowScan scan = s.scan(b, ScanOptions.all())) {
                    while (scan.next()) {
                        RowReader r = scan.row();
                        long id = r.getLong(0);
                        long v = r.getLong(1);
                        check(id >= 0 && id < CrashTable.KEYS && !seen[(int) id], "scan of bucket %d: key %d unknown or twice", b, id);
                        seen[(int) id] = true;
                        rows++;
                        check(table.bucketOf(scan.keyBuffer(), 0, scan.keyLength()) == b, "scan of bucket %d: key %d of another bucket", b, id);
                        check(v == state.values[(int) id], "scan: key %d holds write %d, expected %d", id, v, state.values[(int) id]);
                        check(r.getString(2).equals(CrashTable.pad(v)), "scan: key %d write %d has a wrong pad", id, v);
                    }
                }
            }
        }
        int present = state.presentKeys();
        check(rows == present, "scan: %d rows, expected %d", rows, present);
        try (Lookup lookup = table.newLookup()) {
            for (int k = 0; k < CrashTable.KEYS; k++) {
                int keyLength = keys.encode(reader.wrap(row.buffer(), 0, CrashTable.row(row, k, 0)), key, 0);
                long got = lookup.get(key, 0, keyLength) ? lookup.row().getLong(1) : -1;
                check(got == state.values[k], "lookup: key %d holds write %d, expected %d", k, got, state.values[k]);
            }
        }
        return rows;
    }

    private void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError("cycle " + cycle + ": " + String.format(format, args));
        }
    }
}
