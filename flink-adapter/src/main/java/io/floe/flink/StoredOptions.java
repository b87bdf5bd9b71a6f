package io.floe.flink;

import io.floe.common.error.SchemaMismatchException;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import io.floe.kernel.table.TableFiles;
import io.floe.kernel.table.TableLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The table options that shape a Floe table's stored data and so cannot change once it exists: the
 * bucket count (a row's bucket is a hash of its key modulo it), the merge engine with its aggregate
 * functions and delete policy, and the changelog producer. {@code Floe.table} refuses another value
 * when the table opens; this class finds the same mistake when a statement is planned, and says
 * which {@code WITH} option to set to what.
 *
 * <p>Threads: stateless.
 */
final class StoredOptions {
    private StoredOptions() {
    }

    /**
     * Returns the options stored with table {@code name} of the store at {@code dir}, read without
     * opening the table (no recovery, no lock). Throws {@code CorruptionException} if the options
     * file is damaged, {@code FloeIOException} if unreadable.
     */
    static TableOptions read(Path dir, String name) {
        // The kernel has no public reader for a closed table's options (Floe.storedSchema's sibling),
        // so this reads them through the kernel's own table-file reader.
        return TableFiles.readOptions(new TableLayout(dir.resolve(name)));
    }

    /** Returns iff option {@code key} (as {@link TableOptionsCodec#format} spells it) shapes stored data. */
    static boolean fixed(String key) {
        return key.equals("bucket") || key.equals("merge-engine") || key.equals("changelog-producer") || key.startsWith("aggregation.")
                || key.startsWith("fields.") && key.endsWith(".aggregate-function");
    }

    /**
     * Checks that {@code declared} keeps every fixed option of {@code stored}.
     * Throws {@link SchemaMismatchException} naming each option that differs and the value to set.
     */
    static void checkSameAsStored(TableOptions declared, TableOptions stored, String table, String path) {
        Map<String, String> d = TableOptionsCodec.format(declared);
        Map<String, String> s = TableOptionsCodec.format(stored);
        TreeSet<String> keys = new TreeSet<>(d.keySet());
        keys.addAll(s.keySet());
        List<String> differences = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        for (String key : keys) {
            if (!fixed(key)) {
                continue;
            }
            String dv = d.get(key);
            String sv = s.get(key);
            if (sv == null ? dv != null : !sv.equals(dv)) {
                differences.add("'" + key + "' is " + (sv == null ? "not set" : "'" + sv + "'") + " in the stored table but "
                        + (dv == null ? "not set" : "'" + dv + "'") + " in the DDL");
                fix.add(sv == null ? "remove '" + key + "'" : "'" + key + "' = '" + sv + "'");
            }
        }
        if (!differences.isEmpty()) {
            throw new SchemaMismatchException("table '" + table + "' at " + path + " already exists, and " + String.join("; ", differences)
                    + ". These options shape the stored data and cannot change: set " + String.join(", ", fix)
                    + " in the WITH clause, or point 'path' (or 'table-name') at a new table.");
        }
    }
}
