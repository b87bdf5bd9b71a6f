package io.floe.flink;

import io.floe.changelog.IsolationLevel;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Column;
import io.floe.common.schema.Schema;
import io.floe.common.key.KeyEncoder;
import io.floe.common.memory.GrowableBuffer;
import io.floe.kernel.Lookup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.LookupFunction;
import org.apache.flink.types.RowKind;

/**
 * Looks up the newest row of a key in a Floe table, for lookup joins ({@code FOR SYSTEM_TIME AS OF}).
 * Each subtask holds a lease of the table and one {@link Lookup} handle; the join's key fields are
 * written as a key-only row and encoded as the table's keys are.
 *
 * <p>Isolation: 'lookup.isolation' (see {@link FloeConnectorOptions#LOOKUP_ISOLATION}): read-committed
 * lookups ({@link Lookup} at each bucket's committed seq, the default) see what the writer's last
 * completed checkpoint published; read-uncommitted ones every appended write.
 *
 * <p>Threads: Flink calls {@link #lookup} from the subtask's thread only; open and close too.
 */
public final class FloeLookupFunction extends LookupFunction {
    private static final long serialVersionUID = 1L;
    private final ReadSpec spec;
    /** The table column of each field of the join's key row. */
    private final int[] keyColumns;
    private transient FloeStores.Lease lease;
    private transient Lookup lookup;
    private transient OffHeapAllocator allocator;
    private transient RowWriter keyRow;
    private transient GrowableBuffer key;
    private transient KeyEncoder encoder;
    private transient RowDataWriter keyWriter;
    private transient ProjectedRowData keyInPrimaryKeyOrder;
    private transient RowReader keyReader;
    private transient FloeRowData view;
    private transient RowData.FieldGetter[] fields;

    FloeLookupFunction(ReadSpec spec, int[] keyColumns) {
        this.spec = spec;
        this.keyColumns = keyColumns.clone();
    }

    @Override
    public void open(FunctionContext context) {
        lease = spec.acquire();
        Schema schema = lease.table().schema();
        List<Column> columns = new ArrayList<>();
        int[] fieldOfKeyColumn = new int[schema.keyColumnCount()];
        for (int k = 0; k < schema.keyColumnCount(); k++) {
            int column = schema.keyColumn(k);
            columns.add(schema.column(column));
            for (int f = 0; f < keyColumns.length; f++) {
                if (keyColumns[f] == column) {
                    fieldOfKeyColumn[k] = f;
                }
            }
        }
        // The key-only schema (key columns in key order) encodes keys exactly as the table's schema does.
        Schema keySchema = Schema.of(columns, schema.primaryKeyNames());
        allocator = new OffHeapAllocator("floe lookup " + spec.flinkTableName(), 1 << 20);
        keyRow = new RowWriter(keySchema, allocator);
        key = new GrowableBuffer(allocator, MemoryPurpose.ROW, 64);
        encoder = new KeyEncoder(keySchema);
        keyWriter = new RowDataWriter(keySchema);
        keyInPrimaryKeyOrder = ProjectedRowData.from(fieldOfKeyColumn);
        keyReader = new RowReader(keySchema);
        view = new FloeRowData(schema);
        fields = new RowData.FieldGetter[schema.columnCount()];
        for (int c = 0; c < fields.length; c++) {
            fields[c] = RowData.createFieldGetter(FlinkSchemas.toFlink(schema.type(c)).getLogicalType(), c);
        }
        lookup = lease.table().newLookup(spec.config().lookupIsolation() == FloeConnectorOptions.Isolation.READ_COMMITTED
                ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public Collection<RowData> lookup(RowData keyFields) {
        int rowLength = keyWriter.write(keyInPrimaryKeyOrder.replaceRow(keyFields), keyRow);
        int keyLength = encoder.encode(keyReader.wrap(keyRow.buffer(), 0, rowLength), key);
        if (!lookup.get(key.buffer(), 0, keyLength)) {
            return List.of();
        }
        return List.of(copy(view.wrap(lookup.row(), RowKind.INSERT)));
    }

    /** Returns a heap copy of {@code view} (FloeRowData copies strings, bytes and wide decimals out of the off-heap row). */
    private RowData copy(FloeRowData view) {
        GenericRowData copy = new GenericRowData(fields.length);
        for (int c = 0; c < fields.length; c++) {
            copy.setField(c, fields[c].getFieldOrNull(view));
        }
        return copy;
    }

    @Override
    public void close() {
        if (lookup != null) {
            lookup.close();
            key.close();
            keyRow.close();
            allocator.close();
            lease.close();
            lookup = null;
        }
    }
}
