package io.floe.kernel.table;

import io.floe.common.bytes.Checksums;
import io.floe.common.error.CorruptionException;
import io.floe.common.error.FloeIOException;
import io.floe.common.io.DurableFiles;
import io.floe.common.schema.Schema;
import io.floe.common.schema.SchemaCodec;
import io.floe.kernel.options.TableOptions;
import io.floe.kernel.options.TableOptionsCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes a table's {@code schema} and {@code options} files. Both are written once, at
 * creation, through a temporary file that is fsynced and atomically renamed, so a reader sees a
 * whole file or none.
 *
 * <p>The options file is {@code floe-options 1}, then one {@code key=value} line per option in
 * {@link TableOptionsCodec#format} order, then {@code crc32c xxxxxxxx} over the lines before it.
 * Threads: stateless.
 */
public final class TableFiles {
    static final String OPTIONS_VERSION_LINE = "floe-options 1";

    private TableFiles() {
    }

    /** Writes {@code schema} and {@code options} into a new table directory. Throws {@link FloeIOException} on an I/O error. */
    public static void create(TableLayout layout, Schema schema, TableOptions options) {
        DurableFiles.createDirectories(layout.dir());
        DurableFiles.writeAtomically(layout.optionsFile(), optionsText(options).getBytes(StandardCharsets.UTF_8));
        // The schema file is written last: its presence marks a fully created table.
        DurableFiles.writeAtomically(layout.schemaFile(), SchemaCodec.toBytes(schema));
    }

    /** Returns iff the table's schema file exists (the table was fully created). */
    public static boolean exists(TableLayout layout) {
        return Files.isRegularFile(layout.schemaFile());
    }

    /** Returns the stored schema. Throws {@link CorruptionException} if damaged, {@link FloeIOException} if unreadable. */
    public static Schema readSchema(TableLayout layout) {
        return SchemaCodec.fromBytes(read(layout.schemaFile()), layout.schemaFile().toString());
    }

    /** Returns the stored options. Throws {@link CorruptionException} if damaged, {@link FloeIOException} if unreadable. */
    public static TableOptions readOptions(TableLayout layout) {
        Path file = layout.optionsFile();
        String text = new String(read(file), StandardCharsets.UTF_8);
        int crcAt = text.lastIndexOf("crc32c ");
        if (!text.startsWith(OPTIONS_VERSION_LINE + "\n") || crcAt < 0) {
            throw new CorruptionException(file.toString(), 0, "not a Floe options file of a known version (expected '"
                    + OPTIONS_VERSION_LINE + "')");
        }
        byte[] body = text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8);
        int stored;
        try {
            stored = Integer.parseUnsignedInt(text.substring(crcAt + 7).trim(), 16);
        } catch (NumberFormatException e) {
            throw new CorruptionException(file.toString(), body.length, "unreadable checksum line");
        }
        int computed = Checksums.crc32c(body, 0, body.length);
        if (stored != computed) {
            throw new CorruptionException(file.toString(), body.length, "checksum mismatch: stored " + Integer.toHexString(stored)
                    + ", computed " + Integer.toHexString(computed));
        }
        Map<String, String> map = new LinkedHashMap<>();
        String[] lines = text.substring(OPTIONS_VERSION_LINE.length() + 1, crcAt).split("\n");
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new CorruptionException(file.toString(), -1, "option line without '=': " + line);
            }
            map.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return TableOptionsCodec.parse(map);
    }

    static String optionsText(TableOptions options) {
        StringBuilder body = new StringBuilder(OPTIONS_VERSION_LINE).append('\n');
        TableOptionsCodec.format(options).forEach((k, v) -> body.append(k).append('=').append(v).append('\n'));
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        return body + String.format("crc32c %08x%n", Checksums.crc32c(bytes, 0, bytes.length));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CorruptionException(file.toString(), 0, "missing");
        } catch (IOException e) {
            throw FloeIOException.of("read", file, e);
        }
    }
}
