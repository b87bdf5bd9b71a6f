package io.floe.flink;

import io.floe.common.schema.Schema;
import io.floe.flink.source.FloeSource;
import io.floe.flink.source.ScanFilter;
import io.floe.flink.source.ScanPushDown;
import io.floe.kernel.options.ChangelogProducer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.LookupTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsLimitPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.lookup.LookupFunctionProvider;
import org.apache.flink.table.connector.source.lookup.LookupOptions;
import org.apache.flink.table.connector.source.lookup.PartialCachingLookupProvider;
import org.apache.flink.table.connector.source.lookup.cache.DefaultLookupCache;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.types.DataType;

/**
 * A Floe table as a Flink source: scans (bounded: the snapshot, insert-only; streaming: snapshot
 * and/or changelog per 'scan.mode') and lookup joins by primary key, with top-level projection.
 *
 * <p>Filter push-down: the filters {@link FilterTranslator} can evaluate exactly are evaluated by
 * the kernel on each merged row of the snapshot scans (on key columns only, they also skip SST
 * files by their statistics). Batch reads accept them (Flink drops them from its plan); streaming
 * reads filter only their snapshot, so every filter stays with Flink as well: the changelog is
 * passed through whole, and Flink filters each change as it would without push-down (a snapshot
 * row it would drop is simply not emitted). Limit push-down: a bounded read stops each reader
 * after that many rows; Flink still applies the limit.
 *
 * <p>Lookup joins read the table through {@link FloeLookupFunction}; with 'lookup.cache' = 'PARTIAL'
 * behind Flink's {@link DefaultLookupCache} (per subtask, sized and expired by the
 * 'lookup.partial-cache.*' options), so a cached row may be older than the table's.
 *
 * <p>Streaming changelog mode: with {@code changelog-producer = full} the changelog is complete
 * (+I, -U, +U, -D with old rows), so Flink needs no normalization; with {@code none} it holds upserts
 * and deletes by key, declared as upsert mode so the planner adds ChangelogNormalize.
 */
public final class FloeDynamicTableSource implements ScanTableSource, LookupTableSource, SupportsProjectionPushDown,
        SupportsFilterPushDown, SupportsLimitPushDown {
    private final ReadSpec spec;
    private final ConnectorConfig config;
    private final boolean bounded;
    private ScanPushDown pushed;

    FloeDynamicTableSource(ReadSpec spec, ConnectorConfig config, boolean bounded, ScanPushDown pushed) {
        this.spec = spec;
        this.config = config;
        this.bounded = bounded;
        this.pushed = pushed;
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
        return SourceProvider.of(new FloeSource(spec, bounded, pushed));
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
        FloeLookupFunction function = new FloeLookupFunction(spec, keyColumns);
        Configuration options = Configuration.fromMap(spec.options());
        if (options.get(LookupOptions.CACHE_TYPE) == LookupOptions.LookupCacheType.PARTIAL) {
            return PartialCachingLookupProvider.of(function, DefaultLookupCache.fromConfig(options));
        }
        return LookupFunctionProvider.of(function);
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
        pushed = pushed.withProjection(top);
    }

    @Override
    public Result applyFilters(List<ResolvedExpression> filters) {
        Schema schema = spec.schema();
        List<ScanFilter.Term> terms = new ArrayList<>();
        List<ResolvedExpression> accepted = new ArrayList<>();
        List<ResolvedExpression> remaining = new ArrayList<>();
        for (ResolvedExpression f : filters) {
            List<ScanFilter.Term> t = FilterTranslator.translate(f, schema);
            if (t != null) {
                terms.addAll(t);
                accepted.add(f);
            }
            if (t == null || !bounded) {
                remaining.add(f);
            }
        }
        pushed = pushed.withFilter(pushed.filter().and(terms));
        return Result.of(accepted, remaining);
    }

    @Override
    public void applyLimit(long limit) {
        if (bounded) {
            pushed = pushed.withLimit(limit);
        }
    }

    @Override
    public DynamicTableSource copy() {
        return new FloeDynamicTableSource(spec, config, bounded, pushed);
    }

    @Override
    public String asSummaryString() {
        return "Floe(" + config.path() + ", " + config.tableName() + (pushed.filter().isEmpty() ? "" : ", filter " + pushed.filter())
                + (pushed.limit() >= 0 ? ", limit " + pushed.limit() : "") + ")";
    }
}
