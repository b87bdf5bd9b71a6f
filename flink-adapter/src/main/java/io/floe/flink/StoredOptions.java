package io.floe.flink;

import io.floe.common.error.SchemaMismatchException;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * The table options that shape a Floe table's stored data and so cannot change once it exists: the
 * bucket count (a row's bucket is a hash of its key modulo it), the merge engine with its aggregate
 * functions and delete policy, and the changelog producer. {@code Floe.table} refuses another value
 * when the table opens ({@link TableOptionsCodec#fixedDifferences} decides for both); this class finds
 * the same mistake when a statement is planned, and says which {@code WITH} option to set to what.
 *
 * <p>Threads: stateless.
 */
final class StoredOptions {
    private StoredOptions() {
    }

    /**
     * Checks that {@code declared} keeps every fixed option of {@code stored}.
     * Throws {@link SchemaMismatchException} naming each option that differs and the value to set.
     */
    static void checkSameAsStored(TableOptions declared, TableOptions stored, String table, String path) {
        List<String> differences = new ArrayList<>();
        List<String> fix = new ArrayList<>();
        TableOptionsCodec.fixedDifferences(stored, declared).forEach((key, values) -> {
            String sv = values[0];
            String dv = values[1];
            differences.add("'" + key + "' is " + (sv == null ? "not set" : "'" + sv + "'") + " in the stored table but "
                    + (dv == null ? "not set" : "'" + dv + "'") + " in the DDL");
            fix.add(sv == null ? "remove '" + key + "'" : "'" + key + "' = '" + sv + "'");
        });
        if (!differences.isEmpty()) {
            throw new SchemaMismatchException("table '" + table + "' at " + path + " already exists, and " + String.join("; ", differences)
                    + ". These options shape the stored data and cannot change: set " + String.join(", ", fix)
                    + " in the WITH clause, or point 'path' (or 'table-name') at a new table.");
        }
    }
}
