package io.floe.flink;

import io.floe.common.error.SchemaMismatchException;
import io.floe.common.schema.Column;
import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * Maps between Flink's table schemas and Floe's. Floe stores BOOLEAN, INT, BIGINT, FLOAT, DOUBLE,
 * DECIMAL(p, s), DATE, TIMESTAMP(p), STRING (CHAR/VARCHAR of any length) and BYTES (BINARY/VARBINARY of
 * any length); every other Flink type is refused with a message that names the column and what to use.
 */
public final class FlinkSchemas {
    static final String SUPPORTED = "BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p, s), DATE, TIMESTAMP(p), CHAR/VARCHAR/STRING, BINARY/VARBINARY/BYTES";

    private FlinkSchemas() {
    }

    /**
     * Returns the Floe schema of a Flink table: its physical columns and its primary key.
     * Throws {@link SchemaMismatchException} if the DDL declares no primary key or a column of a type
     * Floe does not store.
     */
    public static Schema toFloe(ResolvedSchema flink, String table) {
        if (flink.getPrimaryKey().isEmpty()) {
            throw new SchemaMismatchException("table '" + table + "' has no primary key: a Floe table is keyed; add "
                    + "PRIMARY KEY (col, ...) NOT ENFORCED to its CREATE TABLE statement");
        }
        List<Column> columns = new ArrayList<>();
        for (org.apache.flink.table.catalog.Column c : flink.getColumns()) {
            if (!c.isPhysical()) {
                continue; // computed and metadata columns are Flink's; Floe stores the physical row
            }
            columns.add(new Column(c.getName(), toFloe(c.getDataType().getLogicalType(), table, c.getName())));
        }
        return Schema.of(columns, flink.getPrimaryKey().get().getColumns());
    }

    /** Returns the Floe type of a Flink logical type. Throws {@link SchemaMismatchException} if Floe does not store it. */
    public static ColumnType toFloe(LogicalType type, String table, String column) {
        ColumnType floe = switch (type.getTypeRoot()) {
            case BOOLEAN -> ColumnType.parse("BOOLEAN");
            case INTEGER -> ColumnType.parse("INT");
            case BIGINT -> ColumnType.parse("BIGINT");
            case FLOAT -> ColumnType.parse("FLOAT");
            case DOUBLE -> ColumnType.parse("DOUBLE");
            case DECIMAL -> ColumnType.decimal(((DecimalType) type).getPrecision(), ((DecimalType) type).getScale());
            case DATE -> ColumnType.parse("DATE");
            case TIMESTAMP_WITHOUT_TIME_ZONE -> ColumnType.timestamp(((TimestampType) type).getPrecision());
            case CHAR, VARCHAR -> ColumnType.parse("STRING");
            case BINARY, VARBINARY -> ColumnType.parse("BYTES");
            default -> throw new SchemaMismatchException("column '" + column + "' of table '" + table + "' is " + type.asSummaryString()
                    + ", which Floe does not store; use one of " + SUPPORTED
                    + (type.getTypeRoot().name().contains("LOCAL_TIME_ZONE") ? " (TIMESTAMP(p) in UTC instead of TIMESTAMP_LTZ)" : "")
                    + (type.getTypeRoot().name().equals("TINYINT") || type.getTypeRoot().name().equals("SMALLINT") ? " (INT instead)" : ""));
        };
        return type.isNullable() ? floe : floe.notNull();
    }

    /** Returns the Flink data type of a Floe column type. */
    public static DataType toFlink(ColumnType type) {
        DataType flink = switch (type.root()) {
            case BOOLEAN -> DataTypes.BOOLEAN();
            case INT -> DataTypes.INT();
            case BIGINT -> DataTypes.BIGINT();
            case FLOAT -> DataTypes.FLOAT();
            case DOUBLE -> DataTypes.DOUBLE();
            case DECIMAL -> DataTypes.DECIMAL(type.precision(), type.scale());
            case DATE -> DataTypes.DATE();
            case TIMESTAMP -> DataTypes.TIMESTAMP(type.precision());
            case STRING -> DataTypes.STRING();
            case BYTES -> DataTypes.BYTES();
        };
        return type.nullable() ? flink.nullable() : flink.notNull();
    }

    /**
     * Checks that the schema a DDL declares is the schema of the existing table.
     * Throws {@link SchemaMismatchException} naming every difference and what to change.
     */
    public static void checkSameAsStored(Schema declared, Schema stored, String table, String path) {
        if (declared.equals(stored)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        int n = Math.max(declared.columnCount(), stored.columnCount());
        for (int i = 0; i < n; i++) {
            String d = i < declared.columnCount() ? declared.column(i).toString() : "(none)";
            String s = i < stored.columnCount() ? stored.column(i).toString() : "(none)";
            if (!d.equals(s)) {
                differences.add("column " + (i + 1) + ": declared " + d + ", stored " + s);
            }
        }
        if (!declared.primaryKeyNames().equals(stored.primaryKeyNames())) {
            differences.add("primary key: declared " + declared.primaryKeyNames() + ", stored " + stored.primaryKeyNames());
        }
        throw new SchemaMismatchException("table '" + table + "' at " + path + " already exists with schema " + stored
                + ", which differs from the DDL: " + String.join("; ", differences)
                + ". Change the DDL to match, or point 'path' at a new directory.");
    }
}
