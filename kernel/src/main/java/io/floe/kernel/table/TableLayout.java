package io.floe.kernel.table;

import java.nio.file.Path;

/**
 * Where the files of a table live, drawn in {@code docs/formats/table-directory.md}:
 *
 * <pre>
 * &lt;floe dir&gt;/&lt;table name&gt;/
 *     schema                       the table schema ({@code SchemaCodec} text with a CRC32C line)
 *     options                      the table options ({@code TableOptionsCodec} key=value lines with a CRC32C line)
 *     manifest/                    CURRENT + MANIFEST-n logs of version edits (see manifest.md)
 *     bucket-&lt;n&gt;/sst/&lt;file&gt;.sst    SSTs of bucket n, named by their table-wide file number (20 digits)
 *     bucket-&lt;n&gt;/changelog/        the bucket's changelog queue (see changelog.md)
 *     bucket-&lt;n&gt;/commit-times      when each commit happened (see table-directory.md)
 * </pre>
 *
 * Immutable.
 */
public final class TableLayout {
    public static final String SCHEMA = "schema";
    public static final String OPTIONS = "options";
    public static final String MANIFEST = "manifest";
    public static final String SST_SUFFIX = ".sst";

    private final Path dir;

    public TableLayout(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path schemaFile() {
        return dir.resolve(SCHEMA);
    }

    public Path optionsFile() {
        return dir.resolve(OPTIONS);
    }

    public Path manifestDir() {
        return dir.resolve(MANIFEST);
    }

    public Path bucketDir(int bucket) {
        return dir.resolve("bucket-" + bucket);
    }

    public Path sstDir(int bucket) {
        return bucketDir(bucket).resolve("sst");
    }

    public Path changelogDir(int bucket) {
        return bucketDir(bucket).resolve("changelog");
    }

    public Path commitTimesFile(int bucket) {
        return bucketDir(bucket).resolve("commit-times");
    }

    /** Returns the path of SST {@code fileNumber} of {@code bucket}. */
    public Path sstFile(int bucket, long fileNumber) {
        return sstDir(bucket).resolve(String.format("%020d", fileNumber) + SST_SUFFIX);
    }

    /** Returns the file number an SST file name spells, or -1 if {@code name} is not an SST name. */
    public static long sstNumber(String name) {
        if (!name.endsWith(SST_SUFFIX) || name.length() != 20 + SST_SUFFIX.length()) {
            return -1;
        }
        for (int i = 0; i < 20; i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(name.substring(0, 20));
    }
}
