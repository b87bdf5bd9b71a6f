package io.floe.common.schema;

import io.floe.common.error.InvalidOptionException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/**
 * Column values as text, the form people type (command-line keys, golden files): numbers,
 * {@code true}/{@code false}, ISO dates ({@code 2026-11-24}) and timestamps
 * ({@code 2026-11-24T10:15:30.123}), strings as they are, bytes as hex, {@code null} for null.
 */
public final class ValueText {
    private ValueText() {
    }

    /**
     * Returns {@code text} as a value of {@code type}, as {@code RowWriter.setObject} takes it.
     * Throws {@link InvalidOptionException} naming {@code what} (e.g. "key column 'id'") if the
     * text is not a value of the type.
     */
    public static Object parse(ColumnType type, String what, String text) {
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
            throw new InvalidOptionException(what, text, "a " + type + " value: " + e.getMessage());
        }
    }

    /** Returns {@code value} (as {@code RowReader.getObject} returns it) as text; bytes as hex. */
    public static String format(Object value) {
        return value instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(value);
    }
}
