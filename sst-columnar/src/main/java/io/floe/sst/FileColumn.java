package io.floe.sst;

import io.floe.common.schema.ColumnType;
import io.floe.common.schema.Schema;
import io.floe.common.schema.TypeRoot;

/**
 * A physical column of an SST file: the key, the sequence number, the kind, or a schema column.
 *
 * @param name        "_key", "_seq", "_kind" or the schema column's name
 * @param type        the column's type (the key is BYTES NOT NULL, seq BIGINT NOT NULL, kind INT NOT NULL)
 * @param schemaIndex the schema column index, or -1 for the key, seq and kind
 */
public record FileColumn(String name, ColumnType type, int schemaIndex) {
    /** Returns iff values are variable-length (offsets and bytes) rather than 8-byte slots. */
    public boolean variable() {
        return type.isVariableLength();
    }

    public boolean nullable() {
        return type.nullable();
    }

    public TypeRoot root() {
        return type.root();
    }

    /** Returns iff this is the key column, whose statistics are never truncated. */
    public boolean isKey() {
        return schemaIndex < 0 && type.root() == TypeRoot.BYTES;
    }

    /** Returns the physical columns of a file of {@code schema}. */
    public static FileColumn[] of(Schema schema) {
        FileColumn[] columns = new FileColumn[SstLayout.FIRST_VALUE_COLUMN + schema.columnCount()];
        columns[SstLayout.KEY_COLUMN] = new FileColumn(SstOptions.KEY_NAME, ColumnType.of(TypeRoot.BYTES).notNull(), -1);
        columns[SstLayout.SEQ_COLUMN] = new FileColumn(SstOptions.SEQ_NAME, ColumnType.of(TypeRoot.BIGINT).notNull(), -1);
        columns[SstLayout.KIND_COLUMN] = new FileColumn(SstOptions.KIND_NAME, ColumnType.of(TypeRoot.INT).notNull(), -1);
        for (int i = 0; i < schema.columnCount(); i++) {
            columns[SstLayout.FIRST_VALUE_COLUMN + i] = new FileColumn(schema.column(i).name(), schema.type(i), i);
        }
        return columns;
    }
}
