package io.floe.cli;

import io.floe.common.error.InvalidOptionException;
import io.floe.common.row.RowReader;
import io.floe.common.schema.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/** Column values as command-line text: parsing key arguments and printing rows. */
final class ValueText {
    private ValueText() {
    }

    /**
     * Returns {@code text} as a value of {@code type} (as {@code RowWriter.setObject} takes it):
     * numbers, {@code true}/{@code false}, ISO dates ({@code 2026-11-24}) and timestamps
     * ({@code 2026-11-24T10:15:30.123}), strings as they are, bytes as hex; {@code null} for null.
     * Throws {@link InvalidOptionException} naming the column if the text is not such a value.
     */
    static Object parse(ColumnType type, String column, String text) {
        if (text.equals("null")) {
            return null;
        }
        try {
            return switch (type.root()) {
                case BOOLEAN -> switch (text) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("not true or false");
                };
                case INT -> Integer.parseInt(text);
                case BIGINT -> Long.parseLong(text);
                case FLOAT -> Float.parseFloat(text);
                case DOUBLE -> Double.parseDouble(text);
                case DECIMAL -> new BigDecimal(text);
                case DATE -> LocalDate.parse(text);
                case TIMESTAMP -> LocalDateTime.parse(text);
                case STRING -> text;
                case BYTES -> HexFormat.of().parseHex(text);
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidOptionException("key column '" + column + "'", text, "a " + type + " value: " + e.getMessage());
        }
    }

    /** Returns the columns of {@code row} as tab-separated text. */
    static String format(RowReader row) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < row.schema().columnCount(); c++) {
            Object v = row.getObject(c);
            sb.append(c == 0 ? "" : "\t").append(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v));
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
