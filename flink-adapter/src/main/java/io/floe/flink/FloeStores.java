package io.floe.flink;

import io.floe.changelog.SyncMode;
import io.floe.common.schema.Schema;
import io.floe.kernel.Floe;
import io.floe.kernel.options.FloeOptions;
import io.floe.kernel.options.RecoveryPolicy;
import io.floe.kernel.Table;
import io.floe.kernel.options.TableOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Floe stores open in this JVM, shared by every operator that reads or writes them: a store
 * directory is opened once ({@link Floe}) and each of its tables once ({@link Table}), however many
 * sources, lookup functions and tests of one TaskManager (or MiniCluster) use them, because a table
 * directory can be opened by one {@link Floe} at a time. Reference counted: the table is closed when
 * its last {@link Lease} is, the store when its last table is.
 *
 * <p>The first lease opens the table with its options (memtable size, compression, ...); later
 * leases share that open table, whatever options they give (the options that shape stored data,
 * bucket count, merge engine and changelog producer, must match, as {@link Floe#table} checks on open).
 *
 * <p>Every store is opened with {@link RecoveryPolicy#DEFER_TO_WRITER}: the connector's only writer is
 * the exactly-once sink, and what survives of a bucket's uncommitted writes is decided by the sink
 * writer that next opens the bucket, from its restored state (commit up to the prepared seq of the
 * restored checkpoint, abort above; see {@code FloeSinkWriter}), not by whoever opens the table first.
 * Until then the writes are invisible to read-committed readers. A failover in which the table stays
 * open (another lease in this JVM) is handled the same way: the new writer restores the bucket.
 *
 * <p>Threads: every method is safe from any thread; opening and closing are serialized by the class
 * lock (a table's recovery runs under it).
 */
public final class FloeStores {
    /** Guarded by FloeStores.class. */
    private static final Map<Path, Store> STORES = new HashMap<>();

    private FloeStores() {
    }

    /** An open store: guarded by FloeStores.class. */
    private static final class Store {
        final Floe floe;
        final Map<String, Shared> tables = new HashMap<>();
        int users;

        Store(Floe floe) {
            this.floe = floe;
        }
    }

    /** An open table and its number of leases: guarded by FloeStores.class. */
    private static final class Shared {
        final Table table;
        int leases;

        Shared(Table table) {
            this.table = table;
        }
    }

    /** One user's share of an open table; close it exactly once, when done (after closing its snapshots, scans and tailers). */
    public static final class Lease implements AutoCloseable {
        private final Path path;
        private final String name;
        private final Table table;
        private boolean closed;

        private Lease(Path path, String name, Table table) {
            this.path = path;
            this.name = name;
            this.table = table;
        }

        public Table table() {
            return table;
        }

        @Override
        public void close() {
            synchronized (FloeStores.class) {
                if (closed) {
                    return;
                }
                closed = true;
                release(path, name);
            }
        }
    }

    /**
     * Returns a lease of table {@code name} in the store at {@code dir}, creating the store and the
     * table if missing. Throws {@link io.floe.common.error.SchemaMismatchException} (from
     * {@link FlinkSchemas#checkSameAsStored}) if the table exists with another schema, or if its
     * bucket count, merge engine or changelog producer differ from {@code options}.
     */
    public static Lease acquire(Path dir, String name, Schema declared, TableOptions options) {
        Path path = dir.toAbsolutePath().normalize();
        synchronized (FloeStores.class) {
            Store store = STORES.get(path);
            if (store == null) {
                store = new Store(Floe.open(path, FloeOptions.defaults(), SyncMode.FSYNC_ON_COMMIT, RecoveryPolicy.DEFER_TO_WRITER));
                STORES.put(path, store);
            }
            store.users++;
            try {
                Shared shared = store.tables.get(name);
                if (shared == null) {
                    if (store.floe.exists(name)) {
                        FlinkSchemas.checkSameAsStored(declared, store.floe.storedSchema(name), name, path.toString());
                    }
                    shared = new Shared(store.floe.table(name, declared, options));
                    store.tables.put(name, shared);
                } else {
                    FlinkSchemas.checkSameAsStored(declared, shared.table.schema(), name, path.toString());
                }
                shared.leases++;
                return new Lease(path, name, shared.table);
            } catch (RuntimeException | Error e) {
                releaseStore(path, store);
                throw e;
            }
        }
    }

    /**
     * Checks, without opening the table, that table {@code name} in the store at {@code dir} is
     * missing or has the schema {@code declared} and the options that shape its stored data (bucket
     * count, merge engine and its aggregate functions, changelog producer) of {@code options}.
     * Throws {@link io.floe.common.error.SchemaMismatchException} if not, saying what to change.
     */
    public static void checkDeclared(Path dir, String name, Schema declared, TableOptions options) {
        Path path = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(path)) {
            return; // the table will be created
        }
        synchronized (FloeStores.class) {
            Store store = STORES.get(path);
            if (store != null && store.tables.containsKey(name)) {
                Table open = store.tables.get(name).table;
                FlinkSchemas.checkSameAsStored(declared, open.schema(), name, path.toString());
                StoredOptions.checkSameAsStored(options, open.options(), name, path.toString());
                return;
            }
            if (store != null) {
                if (store.floe.exists(name)) {
                    FlinkSchemas.checkSameAsStored(declared, store.floe.storedSchema(name), name, path.toString());
                    StoredOptions.checkSameAsStored(options, store.floe.storedOptions(name), name, path.toString());
                }
                return;
            }
            try (Floe floe = Floe.open(path, FloeOptions.defaults())) {
                if (floe.exists(name)) {
                    FlinkSchemas.checkSameAsStored(declared, floe.storedSchema(name), name, path.toString());
                    StoredOptions.checkSameAsStored(options, floe.storedOptions(name), name, path.toString());
                }
            }
        }
    }

    /** Returns the number of stores open in this JVM (for tests: 0 once every lease is closed). */
    public static int openStores() {
        synchronized (FloeStores.class) {
            return STORES.size();
        }
    }

    /** Requires: FloeStores.class is held. */
    private static void release(Path path, String name) {
        Store store = STORES.get(path);
        Shared shared = store.tables.get(name);
        if (--shared.leases == 0) {
            store.tables.remove(name);
            shared.table.close();
        }
        releaseStore(path, store);
    }

    /** Requires: FloeStores.class is held. */
    private static void releaseStore(Path path, Store store) {
        if (--store.users == 0) {
            STORES.remove(path);
            store.floe.close();
        }
    }
}
