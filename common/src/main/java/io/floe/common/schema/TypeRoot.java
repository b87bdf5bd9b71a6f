package io.floe.common.schema;

/** The kinds of column Floe stores. The byte values are stored on disk: never renumber them. */
public enum TypeRoot {
    BOOLEAN(0),
    INT(1),
    BIGINT(2),
    FLOAT(3),
    DOUBLE(4),
    DECIMAL(5),
    DATE(6),
    TIMESTAMP(7),
    STRING(8),
    BYTES(9);

    private static final TypeRoot[] BY_ID = values();

    private final int id;

    TypeRoot(int id) {
        this.id = id;
    }

    /** Returns the stored id. */
    public int id() {
        return id;
    }

    /** Returns the root stored as {@code id}, or null if none is. */
    public static TypeRoot ofId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
