package io.floe.common.schema;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.InvalidOptionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a {@link Schema} as checksummed UTF-8 text, readable by a person and by every version of
 * Floe that knows its version line. The same bytes go into a table's {@code schema} file and into
 * every SST footer. Layout:
 *
 * <pre>
 * floe-schema 1
 * column &lt;name&gt; &lt;type&gt;        one line per column, in column order; name as in SQL
 * primary-key &lt;name&gt;[, &lt;name&gt;...]
 * crc32c &lt;8 hex digits&gt;          CRC32C of every byte before this line
 * </pre>
 *
 * Names that are not plain identifiers are in backquotes, an inner backquote doubled.
 */
public final class SchemaCodec {
    static final String VERSION_LINE = "floe-schema 1";

    private SchemaCodec() {
    }

    /** Returns the stored text of {@code schema}. */
    public static String toText(Schema schema) {
        StringBuilder body = new StringBuilder(VERSION_LINE).append('\n');
        for (Column c : schema.columns()) {
            body.append("column ").append(Schema.quote(c.name())).append(' ').append(c.type()).append('\n');
        }
        body.append("primary-key ");
        List<String> key = schema.primaryKeyNames();
        for (int i = 0; i < key.size(); i++) {
            body.append(i == 0 ? "" : ", ").append(Schema.quote(key.get(i)));
        }
        body.append('\n');
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        return body + String.format("crc32c %08x%n", Checksums.crc32c(bytes, 0, bytes.length));
    }

    /** Returns {@link #toText} as UTF-8 bytes. */
    public static byte[] toBytes(Schema schema) {
        return toText(schema).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns the schema stored in {@code bytes}, read from {@code source} (named in errors).
     * Throws {@link CorruptionException} if the text is damaged, of an unknown version, or fails
     * its checksum.
     */
    public static Schema fromBytes(byte[] bytes, String source) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int crcAt = text.lastIndexOf("crc32c ");
        if (!text.startsWith(VERSION_LINE + "\n")) {
            throw new CorruptionException(source, 0, "not a Floe schema of a known version (expected '" + VERSION_LINE + "')");
        }
        if (crcAt < 0) {
            throw new CorruptionException(source, bytes.length, "schema has no crc32c line");
        }
        int bodyLength = text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8).length;
        String stored = text.substring(crcAt + "crc32c ".length()).trim();
        int actual = Checksums.crc32c(bytes, 0, bodyLength);
        if (!stored.equals(String.format("%08x", actual))) {
            throw new CorruptionException(source, bodyLength, "schema checksum mismatch: stored " + stored + ", computed " + String.format("%08x", actual));
        }
        List<Column> columns = new ArrayList<>();
        List<String> key = null;
        String[] lines = text.substring(0, crcAt).split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            try {
                if (line.startsWith("column ")) {
                    String rest = line.substring("column ".length());
                    int end = nameEnd(rest);
                    columns.add(new Column(unquote(rest.substring(0, end)), ColumnType.parse(rest.substring(end))));
                } else if (line.startsWith("primary-key ")) {
                    key = splitNames(line.substring("primary-key ".length()));
                } else {
                    throw new IllegalArgumentException("unknown line '" + line + "'");
                }
            } catch (IllegalArgumentException | InvalidOptionException e) {
                throw new CorruptionException(source, -1, "schema line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (key == null) {
            throw new CorruptionException(source, -1, "schema has no primary-key line");
        }
        return Schema.of(columns, key);
    }

    private static int nameEnd(String s) {
        if (!s.startsWith("`")) {
            int space = s.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("column line has no type: " + s);
            }
            return space;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        throw new IllegalArgumentException("unterminated quoted name: " + s);
    }

    private static List<String> splitNames(String s) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            int end = s.charAt(i) == '`' ? i + nameEnd(s.substring(i)) : indexOrEnd(s, ',', i);
            names.add(unquote(s.substring(i, end).trim()));
            i = end;
        }
        return names;
    }

    private static int indexOrEnd(String s, char c, int from) {
        int at = s.indexOf(c, from);
        return at < 0 ? s.length() : at;
    }

    private static String unquote(String name) {
        if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
            return name.substring(1, name.length() - 1).replace("``", "`");
        }
        return name;
    }
}
