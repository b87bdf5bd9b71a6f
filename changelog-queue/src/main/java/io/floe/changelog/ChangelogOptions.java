package io.floe.changelog;

import io.floe.common.error.InvalidOptionException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How one changelog is opened. Immutable; start from {@link #defaults(Path)} and change fields
 * with the {@code with*} methods. The constructor validates every field.
 *
 * @param dir             the changelog directory ({@code bucket-N/changelog}); a writer creates it if missing
 * @param syncMode        what commit does for durability, see {@link SyncMode}
 * @param recoveryMode    what a damaged record does, see {@link RecoveryMode}
 * @param rollPeriod      how often a new queue file starts
 * @param blockSizeBytes  Chronicle's mapping chunk size; a power of two in [64 KiB, 1 GiB]
 * @param maxRecordBytes  the largest record ({@code 24 + key + row}); at most blockSizeBytes / 4
 * @param clockMillis     the wall clock that decides roll cycles (tests pass a manual clock)
 * @param uncommitted     what a writer's open does with records above the committed watermark, see {@link UncommittedPolicy}
 */
public record ChangelogOptions(Path dir, SyncMode syncMode, RecoveryMode recoveryMode, RollPeriod rollPeriod,
                               long blockSizeBytes, int maxRecordBytes, LongSupplier clockMillis,
                               UncommittedPolicy uncommitted) {

    public static final long MIN_BLOCK_SIZE = 64L << 10;
    public static final long MAX_BLOCK_SIZE = 1L << 30;
    public static final long DEFAULT_BLOCK_SIZE = 16L << 20;
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    /** Throws {@link InvalidOptionException} if a field is null or out of range. */
    public ChangelogOptions {
        InvalidOptionException.check(dir != null, "changelog.dir", null, "a directory path");
        InvalidOptionException.check(syncMode != null, "changelog.sync-mode", null, "NONE or FSYNC_ON_COMMIT");
        InvalidOptionException.check(recoveryMode != null, "changelog.recovery-mode", null, "STRICT or SALVAGE");
        InvalidOptionException.check(rollPeriod != null, "changelog.roll-period", null, "a RollPeriod");
        InvalidOptionException.check(blockSizeBytes >= MIN_BLOCK_SIZE && blockSizeBytes <= MAX_BLOCK_SIZE
                        && Long.bitCount(blockSizeBytes) == 1, "changelog.block-size", blockSizeBytes,
                "a power of two in [" + MIN_BLOCK_SIZE + ", " + MAX_BLOCK_SIZE + "]");
        InvalidOptionException.check(maxRecordBytes >= ChangelogRecordLayout.HEADER_LENGTH
                        && maxRecordBytes <= blockSizeBytes / 4, "changelog.max-record-bytes", maxRecordBytes,
                "in [" + ChangelogRecordLayout.HEADER_LENGTH + ", block-size / 4 = " + blockSizeBytes / 4 + "]");
        InvalidOptionException.check(clockMillis != null, "changelog.clock", null, "a millisecond clock");
        InvalidOptionException.check(uncommitted != null, "changelog.uncommitted", null, "KEEP or ABORT");
    }

    /**
     * Returns the defaults: no sync, strict recovery, hourly files, 16 MiB blocks, 1 MiB records,
     * the system clock, uncommitted records kept.
     */
    public static ChangelogOptions defaults(Path dir) {
        return new ChangelogOptions(dir, SyncMode.NONE, RecoveryMode.STRICT, RollPeriod.HOURLY,
                DEFAULT_BLOCK_SIZE, DEFAULT_MAX_RECORD_BYTES, System::currentTimeMillis, UncommittedPolicy.KEEP);
    }

    public ChangelogOptions withDir(Path value) {
        return new ChangelogOptions(value, syncMode, recoveryMode, rollPeriod, blockSizeBytes, maxRecordBytes, clockMillis, uncommitted);
    }

    public ChangelogOptions withSyncMode(SyncMode value) {
        return new ChangelogOptions(dir, value, recoveryMode, rollPeriod, blockSizeBytes, maxRecordBytes, clockMillis, uncommitted);
    }

    public ChangelogOptions withRecoveryMode(RecoveryMode value) {
        return new ChangelogOptions(dir, syncMode, value, rollPeriod, blockSizeBytes, maxRecordBytes, clockMillis, uncommitted);
    }

    public ChangelogOptions withRollPeriod(RollPeriod value) {
        return new ChangelogOptions(dir, syncMode, recoveryMode, value, blockSizeBytes, maxRecordBytes, clockMillis, uncommitted);
    }

    public ChangelogOptions withBlockSizeBytes(long value) {
        return new ChangelogOptions(dir, syncMode, recoveryMode, rollPeriod, value, maxRecordBytes, clockMillis, uncommitted);
    }

    public ChangelogOptions withMaxRecordBytes(int value) {
        return new ChangelogOptions(dir, syncMode, recoveryMode, rollPeriod, blockSizeBytes, value, clockMillis, uncommitted);
    }

    public ChangelogOptions withClockMillis(LongSupplier value) {
        return new ChangelogOptions(dir, syncMode, recoveryMode, rollPeriod, blockSizeBytes, maxRecordBytes,
                Objects.requireNonNull(value, "clockMillis"), uncommitted);
    }

    public ChangelogOptions withUncommitted(UncommittedPolicy value) {
        return new ChangelogOptions(dir, syncMode, recoveryMode, rollPeriod, blockSizeBytes, maxRecordBytes, clockMillis, value);
    }
}
