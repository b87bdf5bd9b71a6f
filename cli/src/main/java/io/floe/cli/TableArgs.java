package io.floe.cli;

import io.floe.common.error.InvalidOptionException;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import io.floe.kernel.options.FloeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** The STORE and TABLE arguments that name a table, and how to open it for reading. */
final class TableArgs {
    @Parameters(index = "0", paramLabel = "STORE", description = "The store directory (the connector's 'path').")
    Path store;

    @Parameters(index = "1", paramLabel = "TABLE", description = "The table's name in the store.")
    String table;

    /** Returns the table's directory. Throws {@link InvalidOptionException} if there is no such table. */
    Path tableDir() {
        if (!Files.isDirectory(store)) {
            throw new InvalidOptionException("STORE", store, "an existing store directory");
        }
        Path dir = store.resolve(table);
        if (!Files.isDirectory(dir)) {
            throw new InvalidOptionException("TABLE", table, "a table of store " + store + " (a directory in it)");
        }
        return dir;
    }

    /**
     * Opens the store and the table. The table's lock means no other process (a running Flink job)
     * may have it open; {@code floe tail} reads a live table without opening it. Requires: the store
     * came from {@link #openStore()}, which checked that the table exists.
     */
    Table open(Floe floe) {
        return floe.openTable(table);
    }

    Floe openStore() {
        tableDir();
        return Floe.open(store, FloeOptions.defaults());
    }
}
