package io.floe.flink;

import io.floe.common.error.FloeException;
import io.floe.common.schema.Schema;
import io.floe.flink.sink.FloeDynamicTableSink;
import io.floe.flink.source.ScanPushDown;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.types.logical.RowType;

/**
 * The factory of {@code 'connector' = 'floe'} tables, found by Flink through
 * {@code META-INF/services/org.apache.flink.table.factories.Factory}. Validates every option (the
 * connector's and the kernel's table options, {@link ConnectorConfig#parse}), maps the schema
 * ({@link FlinkSchemas#toFloe}) and checks it against the stored table, so that mistakes fail when
 * the statement is planned, with a {@link ValidationException} that says what to change.
 * Sources read (batch, streaming, lookup); the sink writes exactly once ({@link FloeDynamicTableSink}).
 */
public final class FloeTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {
    public static final String IDENTIFIER = "floe";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(FloeConnectorOptions.PATH);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> optional = new HashSet<>(FloeConnectorOptions.connectorOptions());
        optional.addAll(FloeConnectorOptions.declaredTableOptions());
        optional.remove(FloeConnectorOptions.PATH);
        return optional;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        String name = context.getObjectIdentifier().getObjectName();
        Map<String, String> options = context.getCatalogTable().getOptions();
        boolean bounded = context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        ConnectorConfig config;
        Schema schema;
        try {
            config = ConnectorConfig.parse(options, name);
            schema = FlinkSchemas.toFloe(context.getCatalogTable().getResolvedSchema(), name);
            FloeStores.checkDeclared(config.path(), config.tableName(), schema, config.tableOptions());
        } catch (FloeException e) {
            throw new ValidationException("Floe table " + context.getObjectIdentifier().asSummaryString() + ": " + e.getMessage(), e);
        }
        return new FloeDynamicTableSource(ReadSpec.of(options, name, schema), config, bounded, ScanPushDown.NONE);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        String name = context.getObjectIdentifier().getObjectName();
        Map<String, String> options = context.getCatalogTable().getOptions();
        ConnectorConfig config;
        Schema schema;
        try {
            config = ConnectorConfig.parse(options, name);
            schema = FlinkSchemas.toFloe(context.getCatalogTable().getResolvedSchema(), name);
            FloeStores.checkDeclared(config.path(), config.tableName(), schema, config.tableOptions());
        } catch (FloeException e) {
            throw new ValidationException("Floe table " + context.getObjectIdentifier().asSummaryString() + ": " + e.getMessage(), e);
        }
        boolean batch = context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        RowType physical = (RowType) context.getCatalogTable().getResolvedSchema().toPhysicalRowDataType().getLogicalType();
        Integer parallelism = Configuration.fromMap(options).getOptional(FloeConnectorOptions.SINK_PARALLELISM).orElse(null);
        return new FloeDynamicTableSink(ReadSpec.of(options, name, schema), config.tableOptions().buckets(), physical, batch, parallelism);
    }
}
