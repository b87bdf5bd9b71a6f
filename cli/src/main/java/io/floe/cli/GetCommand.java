package io.floe.cli;

import io.floe.common.memory.GrowableBuffer;
import io.floe.common.memory.MemoryPurpose;
import io.floe.common.memory.OffHeapAllocator;
import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;
import io.floe.kernel.Floe;
import io.floe.kernel.Table;
import java.util.List;
import java.util.concurrent.Callable;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code floe get STORE TABLE KEY...}: the row of one primary key, or exit code 1 if there is none. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print the row with the given primary key (one value per key column, in key order).",
                "Exit code 1 if there is no such row."})
final class GetCommand implements Callable<Integer> {
    @Mixin
    TableArgs args;

    @Parameters(index = "2..*", paramLabel = "KEY", description = "The key's values: numbers, true/false, ISO dates and timestamps, text, hex bytes, null.")
    List<String> key;

    @Override
    public Integer call() {
        try (Floe floe = args.openStore(); Table table = args.open(floe);
             OffHeapAllocator allocator = new OffHeapAllocator("get", Long.MAX_VALUE)) {
            Schema schema = table.schema();
            if (key.size() != schema.keyColumnCount()) {
                System.err.println("floe get: table '" + args.table + "' has the primary key " + schema.primaryKeyNames() + ": give "
                        + schema.keyColumnCount() + " values, not " + key.size());
                return 2;
            }
            Object[] values = new Object[key.size()];
            for (int i = 0; i < values.length; i++) {
                int column = schema.keyColumn(i);
                values[i] = io.floe.common.schema.ValueText.parse(schema.type(column), "key column '" + schema.column(column).name() + "'", key.get(i));
            }
            byte[] row;
            try (RowWriter scratch = new RowWriter(schema, allocator); GrowableBuffer encoded = new GrowableBuffer(allocator, MemoryPurpose.ROW, 64)) {
                int length = table.keyEncoder().encodeValues(values, scratch, encoded);
                row = table.get(encoded.buffer(), 0, length);
            }
            if (row == null) {
                System.err.println("no row with key " + key);
                return 1;
            }
            RowReader reader = new RowReader(schema).wrap(new UnsafeBuffer(row), 0, row.length);
            System.out.println(RowText.header(reader));
            System.out.println(RowText.format(reader));
            return 0;
        }
    }
}
