package io.floe.common.schema;

/** A named, typed column. Names are case-sensitive and unique within a schema. */
public record Column(String name, ColumnType type) {
    public Column {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("column name must not contain a line break: " + name);
        }
        if (type == null) {
            throw new IllegalArgumentException("column '" + name + "' has no type");
        }
    }

    public static Column of(String name, ColumnType type) {
        return new Column(name, type);
    }

    @Override
    public String toString() {
        return Schema.quote(name) + " " + type;
    }
}
