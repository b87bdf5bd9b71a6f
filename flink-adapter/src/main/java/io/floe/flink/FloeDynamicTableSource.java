package io.floe.flink;

import io.floe.common.schema.Schema;
import io.floe.flink.source.FloeSource;
import io.floe.kernel.options.ChangelogProducer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.types.DataType;

/**
 * A Floe table as a Flink source: scans (bounded: the snapshot, insert-only; streaming: snapshot
 * and/or changelog per 'scan.mode') and lookup joins by primary key, with top-level projection.
 *
 * <p>Streaming changelog mode: with {@code changelog-producer = full} the changelog is complete
 * (+I, -U, +U, -D with old rows), so Flink needs no normalization; with {@code none} it holds upserts
 * and deletes by key, declared as upsert mode so the planner adds ChangelogNormalize.
 */
public final class FloeDynamicTableSource implements ScanTableSource, LookupTableSource, SupportsProjectionPushDown {
    private final ReadSpec spec;
    private final ConnectorConfig config;
    private final boolean bounded;
    /** Top-level column indices, or null for every column. */
    private int[] projection;

    FloeDynamicTableSource(ReadSpec spec, ConnectorConfig config, boolean bounded, int[] projection) {
        this.spec = spec;
        this.config = config;
        this.bounded = bounded;
        this.projection = projection;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        if (bounded) {
            return ChangelogMode.insertOnly();
        }
        return config.tableOptions().changelogProducer() == ChangelogProducer.FULL ? ChangelogMode.all() : ChangelogMode.upsert();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        return SourceProvider.of(new FloeSource(spec, bounded, projection));
    }

    @Override
    public LookupRuntimeProvider getLookupRuntimeProvider(LookupContext context) {
        Schema schema = spec.schema();
        int[] keyColumns = new int[context.getKeys().length];
        for (int i = 0; i < keyColumns.length; i++) {
            int[] path = context.getKeys()[i];
            if (path.length != 1) {
                throw new ValidationException("a lookup join on Floe table '" + spec.flinkTableName() + "' cannot use nested fields");
            }
            keyColumns[i] = path[0];
        }
        List<String> joined = Arrays.stream(keyColumns).mapToObj(c -> schema.column(c).name()).sorted().collect(Collectors.toList());
        List<String> key = schema.primaryKeyNames().stream().sorted().collect(Collectors.toList());
        if (!joined.equals(key)) {
            throw new ValidationException("a lookup join on Floe table '" + spec.flinkTableName() + "' must compare exactly its primary key "
                    + schema.primaryKeyNames() + " with '=', but it compares " + joined
                    + ". Join on every primary key column (Floe looks rows up by key only).");
        }
        return LookupFunctionProvider.of(new FloeLookupFunction(spec, keyColumns));
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        int[] top = new int[projectedFields.length];
        for (int i = 0; i < top.length; i++) {
            top[i] = projectedFields[i][0];
        }
        projection = top;
    }

    @Override
    public DynamicTableSource copy() {
        return new FloeDynamicTableSource(spec, config, bounded, projection == null ? null : projection.clone());
    }

    @Override
    public String asSummaryString() {
        return "Floe(" + config.path() + ", " + config.tableName() + ")";
    }
}
