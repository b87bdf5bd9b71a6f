package io.floe.flink;

import io.floe.common.error.InvalidOptionException;
import io.floe.flink.FloeConnectorOptions.Isolation;
import io.floe.flink.FloeConnectorOptions.ScanMode;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.connector.source.lookup.LookupOptions;

/**
 * The validated options of one Floe table in Flink: where it lives, how it is read, and its table
 * options. Every error names the option, the value and what is allowed.
 *
 * @param path             the store directory
 * @param tableName        the table inside the store
 * @param scanMode         where streaming reads start
 * @param fromSeq          the start of scan.mode = from-seq
 * @param fromTimestamp    the start of scan.mode = from-timestamp, epoch milliseconds
 * @param readIsolation    what streaming readers see
 * @param lookupIsolation  what lookup joins see
 * @param tableOptions     the kernel's table options
 */
public record ConnectorConfig(Path path, String tableName, ScanMode scanMode, OptionalLong fromSeq, OptionalLong fromTimestamp,
                              Isolation readIsolation, Isolation lookupIsolation, TableOptions tableOptions) {

    /**
     * Returns the configuration the {@code WITH (...)} options of table {@code flinkTableName} spell.
     * Throws {@link InvalidOptionException} if an option is missing, unknown or invalid.
     */
    public static ConnectorConfig parse(Map<String, String> with, String flinkTableName) {
        Map<String, String> rest = new HashMap<>(with);
        rest.remove("connector");
        String path = rest.remove(FloeConnectorOptions.PATH.key());
        if (path == null || path.isBlank()) {
            throw new InvalidOptionException("path", path, "required: the directory of the Floe store, e.g. 'path' = './floe-data'");
        }
        String tableName = rest.getOrDefault(FloeConnectorOptions.TABLE_NAME.key(), flinkTableName);
        rest.remove(FloeConnectorOptions.TABLE_NAME.key());
        if (!tableName.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
            throw new InvalidOptionException("table-name", tableName, "letters, digits, '_', '-' and '.', not starting with '.' or '-'");
        }
        ScanMode scanMode = choice(rest.remove(FloeConnectorOptions.SCAN_MODE.key()), FloeConnectorOptions.SCAN_MODE.key(), ScanMode.values(), ScanMode.FULL);
        OptionalLong fromSeq = number(rest.remove(FloeConnectorOptions.SCAN_FROM_SEQ.key()), FloeConnectorOptions.SCAN_FROM_SEQ.key());
        OptionalLong fromTimestamp = number(rest.remove(FloeConnectorOptions.SCAN_FROM_TIMESTAMP.key()), FloeConnectorOptions.SCAN_FROM_TIMESTAMP.key());
        if (scanMode == ScanMode.FROM_SEQ && fromSeq.isEmpty()) {
            throw new InvalidOptionException("scan.from-seq", null, "required when 'scan.mode' = 'from-seq': the first sequence number to read");
        }
        if (scanMode == ScanMode.FROM_TIMESTAMP && fromTimestamp.isEmpty()) {
            throw new InvalidOptionException("scan.from-timestamp", null, "required when 'scan.mode' = 'from-timestamp': epoch milliseconds");
        }
        if (fromSeq.isPresent() && scanMode != ScanMode.FROM_SEQ) {
            throw new InvalidOptionException("scan.from-seq", fromSeq.getAsLong(), "only with 'scan.mode' = 'from-seq' (it is '" + scanMode + "')");
        }
        if (fromTimestamp.isPresent() && scanMode != ScanMode.FROM_TIMESTAMP) {
            throw new InvalidOptionException("scan.from-timestamp", fromTimestamp.getAsLong(),
                    "only with 'scan.mode' = 'from-timestamp' (it is '" + scanMode + "')");
        }
        Isolation read = choice(rest.remove(FloeConnectorOptions.READ_ISOLATION.key()), FloeConnectorOptions.READ_ISOLATION.key(), Isolation.values(),
                Isolation.READ_COMMITTED);
        Isolation lookup = choice(rest.remove(FloeConnectorOptions.LOOKUP_ISOLATION.key()), FloeConnectorOptions.LOOKUP_ISOLATION.key(),
                Isolation.values(), Isolation.READ_COMMITTED);
        for (ConfigOption<?> o : FloeConnectorOptions.flinkOptions()) {
            String value = rest.remove(o.key());
            if (value != null) {
                checkFlinkOption(o, value);
            }
        }
        if ("PARTIAL".equalsIgnoreCase(String.valueOf(with.get(FloeConnectorOptions.LOOKUP_CACHE.key())).trim())
                && !with.containsKey(FloeConnectorOptions.LOOKUP_CACHE_MAX_ROWS.key()) && !with.containsKey(FloeConnectorOptions.LOOKUP_CACHE_EXPIRE_AFTER_WRITE.key())
                && !with.containsKey(FloeConnectorOptions.LOOKUP_CACHE_EXPIRE_AFTER_ACCESS.key())) {
            throw new InvalidOptionException("lookup.cache", "PARTIAL", "with at least one of 'lookup.partial-cache.max-rows', "
                    + "'lookup.partial-cache.expire-after-write' or 'lookup.partial-cache.expire-after-access' (an unbounded cache would never see updates)");
        }
        String compression = rest.remove(FloeConnectorOptions.COMPRESSION.key());
        if (compression != null) {
            for (String level : new String[] {"compression.flush", "compression.compacted", "compression.bottom"}) {
                if (rest.containsKey(level)) {
                    throw new InvalidOptionException("compression", compression, "either 'compression' or '" + level + "', not both");
                }
                rest.put(level, compression);
            }
        }
        String writeBuffer = rest.remove(FloeConnectorOptions.WRITE_BUFFER_SIZE.key());
        if (writeBuffer != null) {
            if (rest.containsKey("memtable.size")) {
                throw new InvalidOptionException("write-buffer-size", writeBuffer, "either 'write-buffer-size' or 'memtable.size', not both");
            }
            rest.put("memtable.size", writeBuffer);
        }
        TableOptions tableOptions;
        try {
            tableOptions = TableOptionsCodec.parse(rest);
        } catch (InvalidOptionException e) {
            if (e.getMessage().contains("not a table option")) {
                String own = FloeConnectorOptions.connectorOptions().stream().map(o -> o.key()).collect(Collectors.joining(", "));
                throw new InvalidOptionException(e.option(), rest.get(e.option()), "not an option of 'connector' = 'floe'; connector options: " + own
                        + "; table options: " + e.getMessage().substring(e.getMessage().indexOf("known options: ") + "known options: ".length()));
            }
            throw e;
        }
        return new ConnectorConfig(Path.of(path), tableName, scanMode, fromSeq, fromTimestamp, read, lookup, tableOptions);
    }

    /** Throws {@link InvalidOptionException} if {@code value} is not a valid value of Flink option {@code o}, or one Floe does not support. */
    private static void checkFlinkOption(ConfigOption<?> o, String value) {
        Object parsed;
        try {
            parsed = Configuration.fromMap(Map.of(o.key(), value)).get(o);
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(o.key(), value, "a valid value (" + e.getMessage() + ")");
        }
        if (o == FloeConnectorOptions.SINK_PARALLELISM && (Integer) parsed < 1) {
            throw new InvalidOptionException(o.key(), value, "a positive integer: the number of sink writers");
        }
        if (o == FloeConnectorOptions.LOOKUP_CACHE && parsed == LookupOptions.LookupCacheType.FULL) {
            throw new InvalidOptionException(o.key(), value, "'NONE' or 'PARTIAL' (Floe has no full cache: its lookups read the table's own indexes)");
        }
        if (o == FloeConnectorOptions.LOOKUP_CACHE_MAX_ROWS && (Long) parsed < 1) {
            throw new InvalidOptionException(o.key(), value, "a positive number of rows");
        }
    }

    private static <E extends Enum<E>> E choice(String value, String option, E[] values, E dflt) {
        if (value == null) {
            return dflt;
        }
        for (E e : values) {
            if (e.toString().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new InvalidOptionException(option, value, "one of " + Arrays.stream(values).map(v -> "'" + v + "'").collect(Collectors.joining(", ")));
    }

    private static OptionalLong number(String value, String option) {
        if (value == null) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new InvalidOptionException(option, value, "a non-negative integer");
            }
            return OptionalLong.of(n);
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(option, value, "a non-negative integer");
        }
    }
}
