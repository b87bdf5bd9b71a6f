package io.floe.changelog;

/**
 * How often the changelog starts a new queue file (Chronicle Queue rolls files by time). Files are
 * the unit of {@link ChangelogWriter#releaseBelow(long) release}: a shorter period releases disk
 * sooner and costs more files.
 */
public enum RollPeriod {
    FIVE_MINUTELY(5 * 60_000L),
    TEN_MINUTELY(10 * 60_000L),
    TWENTY_MINUTELY(20 * 60_000L),
    HALF_HOURLY(30 * 60_000L),
    HOURLY(60 * 60_000L),
    TWO_HOURLY(2 * 60 * 60_000L),
    FOUR_HOURLY(4 * 60 * 60_000L),
    SIX_HOURLY(6 * 60 * 60_000L),
    DAILY(24 * 60 * 60_000L);

    private final long millis;

    RollPeriod(long millis) {
        this.millis = millis;
    }

    /** Returns the period length in milliseconds. */
    public long millis() {
        return millis;
    }
}
