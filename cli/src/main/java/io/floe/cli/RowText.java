package io.floe.cli;

import io.floe.common.row.RowReader;

/** Rows as command-line text (values through {@link io.floe.common.schema.ValueText}). */
final class RowText {
    private RowText() {
    }

    /** Returns the columns of {@code row} as tab-separated text. */
    static String format(RowReader row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < row.schema().columnCount(); c++) {
            sb.append(c == 0 ? "" : "\t").append(io.floe.common.schema.ValueText.format(row.getObject(c)));
        }
        return sb.toString();
    }

    /** Returns the column names of {@code row}'s schema as a tab-separated header. */
    static String header(RowReader row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < row.schema().columnCount(); c++) {
            sb.append(c == 0 ? "" : "\t").append(row.schema().column(c).name());
        }
        return sb.toString();
    }
}
