package io.floe.kernel.read;

import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Column;
import io.floe.common.schema.Schema;
import io.floe.kernel.merge.MergeEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * A merge engine for the rows of a projected scan, where SST sources leave the columns the scan
 * does not read null even when the schema says NOT NULL: the table's engine over the same schema
 * with every column nullable (the binary layout does not depend on nullability), so that folding
 * such rows does not fail the writer's NOT NULL check.
 *
 * <p>Sound because every engine folds column by column ({@link MergeEngine#merge}: column c of the
 * result depends only on column c of the two rows): the columns the scan reads fold exactly as in
 * a full scan, whatever the unread ones hold. Threads: immutable, like the engine it wraps.
 */
public final class ProjectedEngine implements MergeEngine {
    private final MergeEngine engine;
    private final Schema schema;

    private ProjectedEngine(MergeEngine engine, Schema schema) {
        this.engine = engine;
        this.schema = schema;
    }

    /** Returns {@code engine} over its schema with every column nullable. */
    public static MergeEngine of(MergeEngine engine) {
        Schema s = engine.schema();
        List<Column> columns = new ArrayList<>(s.columnCount());
        for (Column c : s.columns()) {
            columns.add(Column.of(c.name(), c.type().withNulls()));
        }
        return new ProjectedEngine(engine, Schema.of(columns, s.primaryKeyNames()));
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public boolean newestWins() {
        return engine.newestWins();
    }

    @Override
    public boolean needsPrepare() {
        return engine.needsPrepare();
    }

    @Override
    public void prepare(RowReader input, RowWriter out) {
        engine.prepare(input, out);
    }

    @Override
    public void merge(RowReader older, RowReader newer, RowWriter out) {
        engine.merge(older, newer, out);
    }

    @Override
    public void checkDelete() {
        engine.checkDelete();
    }
}
