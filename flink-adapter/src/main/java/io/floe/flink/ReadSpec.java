package io.floe.flink;

import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a Floe source or lookup function reads, in a form Flink can ship to the TaskManagers: the
 * table's {@code WITH} options (parsed again there) and its Floe schema. Immutable.
 *
 * @param options        the {@code WITH (...)} options of the Flink table
 * @param flinkTableName the Flink table's name (the Floe table's name unless 'table-name' is given)
 * @param schemaBytes    the Floe schema, as {@link SchemaCodec#toBytes} writes it
 */
public record ReadSpec(TreeMap<String, String> options, String flinkTableName, byte[] schemaBytes) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static ReadSpec of(Map<String, String> options, String flinkTableName, Schema schema) {
        return new ReadSpec(new TreeMap<>(options), flinkTableName, SchemaCodec.toBytes(schema));
    }

    /** Returns the parsed options (they were validated when the table was planned). */
    public ConnectorConfig config() {
        return ConnectorConfig.parse(options, flinkTableName);
    }

    public Schema schema() {
        return SchemaCodec.fromBytes(schemaBytes, "schema of Flink table " + flinkTableName);
    }

    /** Returns a lease of the table this spec reads (see {@link FloeStores#acquire}). */
    public FloeStores.Lease acquire() {
        ConnectorConfig config = config();
        return FloeStores.acquire(config.path(), config.tableName(), schema(), config.tableOptions());
    }
}
