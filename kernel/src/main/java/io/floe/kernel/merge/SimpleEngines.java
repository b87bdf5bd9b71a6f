package io.floe.kernel.merge;

import io.floe.common.row.RowReader;
import io.floe.common.row.RowWriter;
import io.floe.common.schema.Schema;

/** The merge engines that need no per-column configuration: deduplicate, first-row, partial-update. */
final class SimpleEngines {
    private SimpleEngines() {
    }

    /** Copies every column of {@code src} to {@code out}, reset first and completed. */
    static void copyRow(RowReader src, RowWriter out) {
        out.reset();
        for (int c = 0; c < src.schema().columnCount(); c++) {
            Columns.copy(src, c, out);
        }
        out.complete();
    }

    private abstract static class Base implements MergeEngine {
        private final Schema schema;

        Base(Schema schema) {
            this.schema = schema;
        }

        @Override
        public Schema schema() {
            return schema;
        }

        @Override
        public boolean newestWins() {
            return false;
        }

        @Override
        public boolean needsPrepare() {
            return false;
        }

        @Override
        public void prepare(RowReader input, RowWriter out) {
            copyRow(input, out);
        }

        @Override
        public void checkDelete() {
            // deletes remove the row
        }
    }

    /** The newest row wins; a delete removes the row. */
    static final class Deduplicate extends Base {
        Deduplicate(Schema schema) {
            super(schema);
        }

        @Override
        public boolean newestWins() {
            return true;
        }

        @Override
        public void merge(RowReader older, RowReader newer, RowWriter out) {
            copyRow(newer, out);
        }
    }

    /** The oldest row since the last delete wins: later upserts are ignored; a delete removes the row. */
    static final class FirstRow extends Base {
        FirstRow(Schema schema) {
            super(schema);
        }

        @Override
        public void merge(RowReader older, RowReader newer, RowWriter out) {
            copyRow(older, out);
        }
    }

    /** Each non-null field of the newer row replaces the older field; null fields keep the old value. A delete removes the row. */
    static final class PartialUpdate extends Base {
        PartialUpdate(Schema schema) {
            super(schema);
        }

        @Override
        public void merge(RowReader older, RowReader newer, RowWriter out) {
            out.reset();
            for (int c = 0; c < schema().columnCount(); c++) {
                Columns.copy(newer.isNullAt(c) ? older : newer, c, out);
            }
            out.complete();
        }
    }
}
