package io.floe.kernel;

import io.floe.common.io.DurableFiles;
import io.floe.changelog.ChangelogOptions;
import io.floe.kernel.bucket.RecoverySettings;
import io.floe.kernel.options.RecoveryPolicy;
import io.floe.changelog.SyncMode;
import io.floe.common.error.ClosedException;
import io.floe.common.error.FloeException;
import io.floe.common.error.FloeIOException;
import io.floe.common.error.SchemaMismatchException;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.schema.Schema;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import io.floe.kernel.table.TableFiles;
import io.floe.kernel.table.TableLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.DirectBuffer;

/**
 * An open Floe store: a directory of tables ({@code <dir>/<table name>/}, see {@link TableLayout}),
 * the background threads that flush and compact them, and the off-heap allocator they share.
 *
 * <pre>
 * try (Floe floe = Floe.open(dir, FloeOptions.defaults())) {
 *     Table t = floe.table("orders", schema, TableOptions.defaults().withBuckets(4));  // create or open
 *     try (BucketWriter w = t.writer(0)) { ... }
 * }
 * </pre>
 *
 * <p>Threads: every method is safe from any thread. Memory: {@link #close()} closes every open
 * table and then checks that every off-heap byte was given back.
 */
public final class Floe implements AutoCloseable {
    private final Path dir;
    private final FloeOptions options;
    private final RecoverySettings recovery;
    private final OffHeapAllocator allocator;
    private final ExecutorService background;
    /** Guarded by this. */
    private final Map<String, Table> tables = new HashMap<>();
    /** Guarded by this. */
    private boolean closed;

    private Floe(Path dir, FloeOptions options, SyncMode syncMode, RecoveryPolicy policy) {
        this.dir = dir;
        this.options = options;
        this.recovery = new RecoverySettings(ChangelogOptions.defaults(dir).withSyncMode(syncMode).withClockMillis(options.clockMillis()),
                policy);
        this.allocator = new OffHeapAllocator("floe " + dir, options.memoryLimitBytes());
        AtomicInteger n = new AtomicInteger();
        this.background = Executors.newFixedThreadPool(options.backgroundThreads(), r -> {
            Thread t = new Thread(r, "floe-background-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (creating if missing) the store in {@code dir}; commits fsync the changelog
     * ({@link SyncMode#FSYNC_ON_COMMIT}). Throws {@link FloeIOException} if the directory cannot be created.
     */
    public static Floe open(Path dir, FloeOptions options) {
        return open(dir, options, SyncMode.FSYNC_ON_COMMIT);
    }

    /**
     * Opens the store in {@code dir} with changelog commits synced per {@code syncMode}
     * ({@link SyncMode#NONE}: committed writes survive a process crash, not a machine crash).
     */
    public static Floe open(Path dir, FloeOptions options, SyncMode syncMode) {
        return open(dir, options, syncMode, RecoveryPolicy.KEEP_UNCOMMITTED);
    }

    /**
     * Opens the store in {@code dir} with changelog commits synced per {@code syncMode}; every table
     * it opens recovers its buckets' uncommitted writes per {@code policy} (see {@link RecoveryPolicy}).
     * Throws {@link FloeIOException} if the directory cannot be created.
     */
    public static Floe open(Path dir, FloeOptions options, SyncMode syncMode, RecoveryPolicy policy) {
        java.util.Objects.requireNonNull(policy, "policy");
        DurableFiles.createDirectories(dir);
        return new Floe(dir, options, syncMode, policy);
    }

    /** Returns the bucket of the encoded key {@code key[offset, offset+length)} among {@code buckets}: the stable {@link BucketRouting} hash. */
    public static int bucketOf(DirectBuffer key, int offset, int length, int buckets) {
        return BucketRouting.bucketOf(key, offset, length, buckets);
    }

    /** Returns iff table {@code name} exists (was fully created). */
    public boolean exists(String name) {
        return TableFiles.exists(layout(name));
    }

    /** Returns the stored schema of table {@code name}. Throws {@link FloeException} if there is no such table. */
    public Schema storedSchema(String name) {
        TableLayout l = layout(name);
        if (!TableFiles.exists(l)) {
            throw new FloeException("no table '" + name + "' in " + dir);
        }
        return TableFiles.readSchema(l);
    }

    /**
     * Returns the options stored with table {@code name}, read without opening it (no lock, no
     * recovery). Throws {@link FloeException} if there is no such table, {@code CorruptionException}
     * if its options file is damaged.
     */
    public TableOptions storedOptions(String name) {
        TableLayout l = layout(name);
        if (!TableFiles.exists(l)) {
            throw new FloeException("no table '" + name + "' in " + dir);
        }
        return TableFiles.readOptions(l);
    }

    /**
     * Creates table {@code name} with {@code schema} (its primary key included) and {@code options}
     * (the bucket count among them), and opens it. Throws {@link FloeException} if it exists,
     * {@code InvalidOptionException} if the options do not fit the schema.
     */
    public synchronized Table createTable(String name, Schema schema, TableOptions options) {
        checkOpen();
        TableLayout l = layout(name);
        if (TableFiles.exists(l)) {
            throw new FloeException("table '" + name + "' already exists in " + dir);
        }
        options.validate(schema);
        TableFiles.create(l, schema, options);
        return openLocked(name, l, schema, options);
    }

    /** Opens existing table {@code name} with its stored schema and options. Throws {@link FloeException} if there is none. */
    public synchronized Table openTable(String name) {
        checkOpen();
        TableLayout l = layout(name);
        if (!TableFiles.exists(l)) {
            throw new FloeException("no table '" + name + "' in " + dir);
        }
        return openLocked(name, l, TableFiles.readSchema(l), TableFiles.readOptions(l));
    }

    /**
     * Creates table {@code name} or opens it if it exists. When it exists, {@code schema} must equal
     * the stored schema and {@code options} must keep the stored bucket count, merge engine and
     * changelog producer (they shape the stored data); the other options (memtable, compression,
     * compaction) take effect as given, for this open. Throws {@link SchemaMismatchException} naming
     * both schemas or the option that differs.
     */
    public synchronized Table table(String name, Schema schema, TableOptions options) {
        checkOpen();
        TableLayout l = layout(name);
        if (!TableFiles.exists(l)) {
            return createTable(name, schema, options);
        }
        Schema stored = TableFiles.readSchema(l);
        if (!stored.equals(schema)) {
            throw new SchemaMismatchException("table '" + name + "' is stored with schema " + stored + ", not " + schema);
        }
        TableOptions storedOptions = TableFiles.readOptions(l);
        Set<String> differ = TableOptionsCodec.fixedDifferences(storedOptions, options).keySet();
        if (!differ.isEmpty()) {
            throw new SchemaMismatchException("table '" + name + "' is stored with options " + TableOptionsCodec.format(storedOptions)
                    + "; " + differ + " cannot change (given " + TableOptionsCodec.format(options) + ")");
        }
        options.validate(stored);
        return openLocked(name, l, stored, options);
    }

    private Table openLocked(String name, TableLayout l, Schema schema, TableOptions options) {
        if (tables.containsKey(name)) {
            throw new FloeException("table '" + name + "' is already open; close it first");
        }
        Table t = Table.open(name, l, schema, options, allocator, background, recovery, () -> forget(name));
        tables.put(name, t);
        return t;
    }

    private synchronized void forget(String name) {
        tables.remove(name);
    }

    private TableLayout layout(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new IllegalArgumentException("table name '" + name + "' must be a plain directory name");
        }
        return new TableLayout(dir.resolve(name));
    }

    public Path dir() {
        return dir;
    }

    public FloeOptions options() {
        return options;
    }

    /** Returns the off-heap bytes held now by every open table (memtables, buffers). */
    public long offHeapBytes() {
        return allocator.allocatedBytes();
    }

    private synchronized void checkOpen() {
        if (closed) {
            throw new ClosedException("Floe at " + dir + " is closed");
        }
    }

    /**
     * Closes every open table, stops the background threads and checks that no off-heap memory is
     * left. Throws {@link IllegalStateException} naming live blocks if memory leaked, or (after
     * closing everything) {@code FloeException} if a table's background flush or compaction failed. Idempotent.
     */
    @Override
    public void close() {
        List<Table> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(tables.values());
        }
        RuntimeException failure = null;
        for (Table t : open) {
            try {
                t.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        background.shutdown();
        try {
            background.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            try {
                allocator.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        allocator.close();
    }
}
