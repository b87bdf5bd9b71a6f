package io.floe.changelog;

import io.floe.common.RowKind;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The child JVM of the cross-process tests. Modes:
 * <ul>
 *   <li>{@code append DIR SYNC SEED}: appends records with {@link #fill content derived from their
 *       seq} in random batches, commits after each batch and prints {@code COMMIT id seq} once
 *       commit returned; runs until killed.
 *   <li>{@code tail DIR COUNT}: tails from the start with a read-uncommitted and a read-committed
 *       tailer until each has read COUNT records, checking order, content and the watermark;
 *       prints {@code OK} or {@code FAIL reason}.
 *   <li>{@code analytics DIR}: prints the analytics property before and after opening a writer.
 * </ul>
 */
public final class ChildMain {
    /** The child JVMs\' options: small and quick to start. */
    static final java.util.List<String> JVM_OPTIONS = java.util.List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    static final int ROW = 100;

    private ChildMain() {
    }

    /** Fills key (8 bytes) and row ({@value #ROW} bytes) from {@code seq}. */
    static void fill(long seq, UnsafeBuffer key, UnsafeBuffer row) {
        key.putLong(0, seq);
        for (int i = 0; i < ROW; i++) {
            row.putByte(i, (byte) (seq * 31 + i));
        }
    }

    static RowKind kindOf(long seq) {
        return RowKind.values()[(int) (seq & 3)];
    }

    /** Returns null iff {@code record} holds what {@link #fill} wrote for its seq, else what differs. */
    static String check(ChangelogRecord record) {
        long seq = record.seq();
        if (record.kind() != kindOf(seq) || record.keyLength() != 8 || record.rowLength() != ROW
                || record.key().getLong(0) != seq) {
            return "record " + record + " has the wrong kind, key or lengths";
        }
        for (int i = 0; i < ROW; i++) {
            if (record.row().getByte(i) != (byte) (seq * 31 + i)) {
                return "record " + seq + " row byte " + i + " is wrong";
            }
        }
        return null;
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "append" -> append(Path.of(args[1]), SyncMode.valueOf(args[2]), Long.parseLong(args[3]));
            case "tail" -> tail(Path.of(args[1]), Integer.parseInt(args[2]));
            case "analytics" -> analytics(Path.of(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void append(Path dir, SyncMode sync, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        UnsafeBuffer row = new UnsafeBuffer(new byte[ROW]);
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir).withSyncMode(sync))) {
            long seq = Math.max(writer.lastSeq(), 0);
            long checkpoint = writer.lastCheckpointId();
            System.out.println("READY " + seq + " " + writer.committedSeq());
            System.out.flush();
            while (true) {
                int n = 1 + random.nextInt(40);
                for (int i = 0; i < n; i++) {
                    seq++;
                    fill(seq, key, row);
                    writer.append(seq, kindOf(seq), key, 0, 8, row, 0, ROW);
                }
                long committed = writer.commit(++checkpoint);
                System.out.println("COMMIT " + checkpoint + " " + committed);
                System.out.flush();
                LockSupport.parkNanos(50_000);
            }
        }
    }

    private static void tail(Path dir, int count) {
        try (ChangelogReader reader = ChangelogReader.open(TestRecords.smallOptions(dir));
             ChangelogTailer uncommitted = reader.newTailer(TailerOptions.fromStart().withWaitStrategy(WaitStrategy.YIELD));
             ChangelogTailer committed = reader.newTailer(TailerOptions.fromStart()
                     .withIsolation(IsolationLevel.READ_COMMITTED).withWaitStrategy(WaitStrategy.PARK))) {
            System.out.println("READY");
            System.out.flush();
            long[] expected = {1, 1};
            ChangelogTailer[] tailers = {uncommitted, committed};
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (expected[0] <= count || expected[1] <= count) {
                if (System.nanoTime() > deadline) {
                    System.out.println("FAIL timeout at " + expected[0] + "/" + expected[1]);
                    return;
                }
                for (int t = 0; t < 2; t++) {
                    if (expected[t] > count) {
                        continue;
                    }
                    ChangelogRecord record = tailers[t].poll(1_000_000);
                    if (record == null) {
                        continue;
                    }
                    String bad = record.seq() != expected[t] ? "tailer " + t + " read seq " + record.seq() + ", expected "
                            + expected[t] : check(record);
                    if (bad == null && t == 1 && record.seq() > reader.committedSeq()) {
                        bad = "read-committed tailer returned seq " + record.seq() + " above the watermark " + reader.committedSeq();
                    }
                    if (bad != null) {
                        System.out.println("FAIL " + bad);
                        return;
                    }
                    expected[t]++;
                }
            }
            System.out.println("OK " + count);
        }
    }

    private static void analytics(Path dir) {
        System.out.println("BEFORE " + System.getProperty(ChronicleQueues.ANALYTICS_PROPERTY));
        try (ChangelogWriter writer = ChangelogWriter.open(TestRecords.smallOptions(dir))) {
            System.out.println("AFTER " + System.getProperty(ChronicleQueues.ANALYTICS_PROPERTY));
        }
    }
}
