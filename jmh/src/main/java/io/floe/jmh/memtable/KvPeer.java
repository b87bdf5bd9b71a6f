package io.floe.jmh.memtable;

/**
 * One sorted in-memory table under test (Floe's memtable or a peer), loaded with the entries of a
 * {@link BenchData}. Each benchmark thread works through its own {@link Session}, which holds the
 * per-thread scratch state, so that an operation allocates only what the table itself allocates.
 */
interface KvPeer extends AutoCloseable {
    /** Returns a session for the calling thread. */
    Session newSession();

    /** Drops every entry (a fresh, empty table); sessions taken before are invalid. */
    void reset();

    /** Returns a number that summarises the table's memory, for sanity checks; see implementations. */
    long memoryBytes();

    @Override
    void close();

    /** One thread's handle. Single-threaded. */
    interface Session {
        /** Inserts entry {@code i}. Throws {@link IllegalStateException} if the table refuses it. */
        void put(int i);

        /** Looks up entry {@code i}'s key; returns bits of the value found, or -1 if none. */
        long get(int i);
    }

    /** Returns the peer named {@code name}: {@code floe}, {@code cslm}, {@code cslm-nocopy} or {@code rocksdb}. */
    static KvPeer create(String name, BenchData data) {
        switch (name) {
            case "floe":
                return new FloePeer(data);
            case "cslm":
                return new CslmPeer(data, true);
            case "cslm-nocopy":
                return new CslmPeer(data, false);
            case "rocksdb":
                return new RocksPeer(data);
            default:
                throw new IllegalArgumentException("unknown peer " + name);
        }
    }
}
