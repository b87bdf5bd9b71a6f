package io.floe.common.testing.faults;

import io.floe.common.io.FaultPoint;
import io.floe.common.io.FaultPoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The test side of {@link FaultPoints}: counts every point, halts the process at an armed kill
 * point (after writing the {@link DurabilityModel} plan of a machine crash, if asked), and fails
 * the i-th I/O operation (once, or from then on) with an {@link IOException} that reads like EIO or
 * like ENOSPC. Requires a JVM started with {@code -Dfloe.faults=true}.
 *
 * <p>Threads: every hook is safe from any thread. Once a kill point fires, every thread that
 * reaches a hook afterwards parks until the halt, so nothing becomes durable behind the plan.
 */
public final class FaultInjector implements FaultPoints.Handler {
    /** The exit status of a process halted at a kill point. */
    public static final int KILLED_STATUS = 87;

    /** How an injected I/O error reads. */
    public enum Kind {
        /** A device error: "Input/output error". */
        EIO,
        /** A full device: "No space left on device", which Floe maps to {@code DiskFullException}. */
        ENOSPC
    }

    private volatile FaultPoint killPoint;
    private volatile long killHit;
    private volatile String killPathContains;
    private final Path planFile;
    private final AtomicLong killHits = new AtomicLong();
    private final AtomicLongArray hits = new AtomicLongArray(FaultPoint.values().length);
    private final AtomicLong ioOps = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();
    private final DurabilityModel model = new DurabilityModel();
    private volatile long failAt;
    private volatile boolean persistent;
    private volatile Kind kind = Kind.EIO;
    private volatile boolean crashing;
    private volatile FaultPoint failPoint;
    private volatile FaultPoint lastInjected;
    private volatile String failPathContains;

    private FaultInjector(FaultPoint killPoint, long killHit, String killPathContains, Path planFile) {
        this.killPoint = killPoint;
        this.killHit = killHit;
        this.killPathContains = killPathContains;
        this.planFile = planFile;
    }

    /** Returns an injector that only counts, installed. */
    public static FaultInjector counting() {
        FaultInjector f = new FaultInjector(null, 0, null, null);
        FaultPoints.install(f);
        return f;
    }

    /**
     * Returns an installed injector that halts the process at the {@code hit}-th hit of
     * {@code point} (on a path containing {@code pathContains}, if not null), with status
     * {@value #KILLED_STATUS}; if {@code planFile} is not null it first writes there the plan of
     * what a machine crash at that moment would lose ({@link DurabilityModel#applyPlan}).
     */
    public static FaultInjector killAt(FaultPoint point, long hit, String pathContains, Path planFile) {
        FaultInjector f = new FaultInjector(point, hit, pathContains, planFile);
        FaultPoints.install(f);
        return f;
    }

    /**
     * Returns an installed injector configured by system properties: {@code floe.faults.kill} =
     * {@code POINT:hit} or {@code POINT:hit:pathContains} (none: count only) and
     * {@code floe.faults.plan} = the plan file (none: a process crash, nothing lost).
     */
    public static FaultInjector fromSystemProperties() {
        String kill = System.getProperty("floe.faults.kill", "");
        String plan = System.getProperty("floe.faults.plan", "");
        if (kill.isEmpty()) {
            return counting();
        }
        String[] f = kill.split(":", 3);
        return killAt(FaultPoint.valueOf(f[0]), Long.parseLong(f[1]), f.length > 2 ? f[2] : null, plan.isEmpty() ? null : Path.of(plan));
    }

    /**
     * Fails the {@code i}-th I/O operation from now on (counting from 1), and with {@code persistent}
     * every one after it too, with an error of {@code kind}; {@code i = 0} disarms.
     */
    public void failFrom(long i, boolean persistent, Kind kind) {
        this.persistent = persistent;
        this.kind = kind;
        this.injected.set(0);
        this.ioOps.set(0);
        this.lastInjected = null;
        this.failAt = i;
    }

    /**
     * Fails every I/O operation at {@code point} on a path containing {@code pathContains} from now
     * on (and no other), with an error of {@code kind}: a device that keeps failing one operation.
     */
    public void failEvery(FaultPoint point, String pathContains, Kind kind) {
        this.kind = kind;
        this.injected.set(0);
        this.ioOps.set(0);
        this.failPoint = point;
        this.failPathContains = pathContains;
    }

    /** Halts the process, like a kill point armed at start, at the {@code n}-th hit of {@code point} from now. */
    public synchronized void killAtNext(FaultPoint point, long n) {
        killPathContains = null;
        killHits.set(0);
        killHit = n;
        killPoint = point;
    }

    /** Stops injecting I/O errors. */
    public void disarm() {
        failAt = 0;
        failPoint = null;
    }

    /** Returns how many I/O errors were injected since the last {@link #failFrom}. */
    public long injected() {
        return injected.get();
    }

    /** Returns the point of the last injected I/O error, or null. */
    public FaultPoint lastInjected() {
        return lastInjected;
    }

    /** Returns how many I/O operations ran since the last {@link #failFrom}. */
    public long ioOperations() {
        return ioOps.get();
    }

    /** Returns how often {@code p} was reached. */
    public long hits(FaultPoint p) {
        return hits.get(p.ordinal());
    }

    /** Returns a line "POINT=n ..." of every point's hits. */
    public String hitsLine() {
        StringBuilder b = new StringBuilder();
        for (FaultPoint p : FaultPoint.values()) {
            b.append(b.length() == 0 ? "" : " ").append(p).append('=').append(hits(p));
        }
        return b.toString();
    }

    /** Returns the durability model the hooks feed. */
    public DurabilityModel model() {
        return model;
    }

    @Override
    public void reach(FaultPoint point, Path path) {
        parkIfCrashing();
        hits.incrementAndGet(point.ordinal());
        if (point == killPoint && (killPathContains == null || (path != null && path.toString().contains(killPathContains)))
                && killHits.incrementAndGet() == killHit) {
            crash(point, path);
        }
    }

    @Override
    public void io(FaultPoint point, Path path) throws IOException {
        reach(point, path);
        long at = failAt;
        FaultPoint every = failPoint;
        if (at <= 0 && every == null) {
            return;
        }
        long n = ioOps.incrementAndGet();
        boolean fail = every != null ? every == point && path != null && path.toString().contains(failPathContains)
                : n == at || (persistent && n > at);
        if (fail) {
            injected.incrementAndGet();
            lastInjected = point;
            String what = kind == Kind.ENOSPC ? "No space left on device" : "Input/output error";
            throw new IOException(what + " (injected: I/O operation " + n + ", " + point + " " + path + ")");
        }
    }

    private void crash(FaultPoint point, Path path) {
        synchronized (model) {
            crashing = true;
            if (planFile != null) {
                model.writePlan(planFile);
            }
        }
        System.out.println("KILLED " + point + " " + killHit + " " + path);
        System.out.flush();
        Runtime.getRuntime().halt(KILLED_STATUS);
    }

    private void parkIfCrashing() {
        while (crashing) {
            LockSupport.parkNanos(1_000_000_000L);
        }
    }

    @Override
    public void created(Path file) {
        parkIfCrashing();
        model.created(file);
        parkIfCrashing(); // a sync recorded after the plan was taken must not be acknowledged
    }

    @Override
    public void renamed(Path from, Path to) {
        parkIfCrashing();
        model.renamed(from, to);
        parkIfCrashing(); // a sync recorded after the plan was taken must not be acknowledged
    }

    @Override
    public void synced(Path file) {
        parkIfCrashing();
        model.synced(file);
        parkIfCrashing(); // a sync recorded after the plan was taken must not be acknowledged
    }

    @Override
    public void directorySynced(Path dir) {
        parkIfCrashing();
        model.directorySynced(dir);
        parkIfCrashing(); // a sync recorded after the plan was taken must not be acknowledged
    }

    @Override
    public void syncedPrefix(Path file, long end) {
        parkIfCrashing();
        model.syncedPrefix(file, end);
        parkIfCrashing(); // a sync recorded after the plan was taken must not be acknowledged
    }
}
