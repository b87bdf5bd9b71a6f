package io.floe.common.schema;

import io.floe.common.error.SchemaMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's columns and primary key. Immutable; {@link SchemaCodec} stores it as text.
 *
 * <p>The primary key is a non-empty list of distinct columns, in key order (which need not be
 * column order). Rows are ordered by the memcomparable encoding of their key columns.
 */
public final class Schema {
    private final List<Column> columns;
    private final int[] primaryKey;
    private final Map<String, Integer> indexByName;

    private Schema(List<Column> columns, int[] primaryKey) {
        this.columns = List.copyOf(columns);
        this.primaryKey = primaryKey.clone();
        this.indexByName = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            if (indexByName.put(columns.get(i).name(), i) != null) {
                throw new SchemaMismatchException("column '" + columns.get(i).name() + "' appears twice");
            }
        }
    }

    /**
     * Returns a schema of {@code columns} keyed by the named columns.
     * Throws {@link SchemaMismatchException} if there are no columns, a name repeats, or a key
     * column is missing or named twice.
     */
    public static Schema of(List<Column> columns, List<String> primaryKey) {
        if (columns.isEmpty()) {
            throw new SchemaMismatchException("a schema needs at least one column");
        }
        if (primaryKey.isEmpty()) {
            throw new SchemaMismatchException("a Floe table needs a primary key (PRIMARY KEY (...) NOT ENFORCED in Flink DDL)");
        }
        List<String> names = new ArrayList<>();
        for (Column c : columns) {
            names.add(c.name());
        }
        int[] pk = new int[primaryKey.size()];
        for (int i = 0; i < pk.length; i++) {
            int index = names.indexOf(primaryKey.get(i));
            if (index < 0) {
                throw new SchemaMismatchException("primary key column '" + primaryKey.get(i) + "' is not a column of " + names);
            }
            for (int j = 0; j < i; j++) {
                if (pk[j] == index) {
                    throw new SchemaMismatchException("primary key names column '" + primaryKey.get(i) + "' twice");
                }
            }
            pk[i] = index;
        }
        return new Schema(columns, pk);
    }

    /** Starts a builder: {@code Schema.builder().column("id", ...).primaryKey("id").build()}. */
    public static Builder builder() {
        return new Builder();
    }

    public List<Column> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** Returns the type of column {@code index}. */
    public ColumnType type(int index) {
        return columns.get(index).type();
    }

    /** Returns the index of the column named {@code name}, or -1 if there is none. */
    public int indexOf(String name) {
        Integer index = indexByName.get(name);
        return index == null ? -1 : index;
    }

    /** Returns the index of the column named {@code name}. Throws {@link SchemaMismatchException} if none. */
    public int requireIndex(String name) {
        int index = indexOf(name);
        if (index < 0) {
            throw new SchemaMismatchException("no column '" + name + "' in " + this);
        }
        return index;
    }

    /** Returns the column indexes of the primary key, in key order (a copy). */
    public int[] primaryKey() {
        return primaryKey.clone();
    }

    /** Returns the number of primary key columns. */
    public int keyColumnCount() {
        return primaryKey.length;
    }

    /** Returns the column index of the {@code i}-th key column. */
    public int keyColumn(int i) {
        return primaryKey[i];
    }

    /** Returns the primary key column names, in key order. */
    public List<String> primaryKeyNames() {
        List<String> names = new ArrayList<>(primaryKey.length);
        for (int index : primaryKey) {
            names.add(columns.get(index).name());
        }
        return names;
    }

    /** Returns iff column {@code index} is part of the primary key. */
    public boolean isKeyColumn(int index) {
        for (int k : primaryKey) {
            if (k == index) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s && columns.equals(s.columns) && Arrays.equals(primaryKey, s.primaryKey);
    }

    @Override
    public int hashCode() {
        return columns.hashCode() * 31 + Arrays.hashCode(primaryKey);
    }

    /** Returns e.g. {@code (id BIGINT NOT NULL, name STRING, PRIMARY KEY (id))}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (Column c : columns) {
            sb.append(c).append(", ");
        }
        sb.append("PRIMARY KEY (");
        for (int i = 0; i < primaryKey.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(columns.get(primaryKey[i]).name()));
        }
        return sb.append("))").toString();
    }

    /** Returns {@code name} as is if it is a plain identifier, else in backquotes with inner backquotes doubled. */
    static String quote(String name) {
        if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return name;
        }
        return "`" + name.replace("`", "``") + "`";
    }

    /** Builds a {@link Schema}. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();
        private final List<String> primaryKey = new ArrayList<>();

        public Builder column(String name, ColumnType type) {
            columns.add(new Column(name, type));
            return this;
        }

        /** Adds a column of the type {@link ColumnType#parse spelled} {@code type}. */
        public Builder column(String name, String type) {
            return column(name, ColumnType.parse(type));
        }

        public Builder primaryKey(String... names) {
            primaryKey.addAll(Arrays.asList(names));
            return this;
        }

        public Schema build() {
            return Schema.of(columns, primaryKey);
        }
    }
}
