package io.floe.common.error;

/**
 * Data read from a file is not what was written: a wrong magic or version, a checksum mismatch, an
 * offset or length that points outside its file or block, a value that cannot be decoded. Names the
 * file and the byte offset at which the damage was found. Never a wrong value, never a JVM crash:
 * readers throw this before they touch memory that the file told them to touch.
 */
public class CorruptionException extends FloeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    /**
     * @param file   the file (or other named source) that holds the damage
     * @param offset the byte offset in that file where the damage was found, or -1 if unknown
     * @param what   what is wrong, in words
     */
    public CorruptionException(String file, long offset, String what) {
        super(format(file, offset, what));
        this.file = file;
        this.offset = offset;
    }

    public CorruptionException(String file, long offset, String what, Throwable cause) {
        super(format(file, offset, what), cause);
        this.file = file;
        this.offset = offset;
    }

    private static String format(String file, long offset, String what) {
        return "corrupt data in " + file + (offset >= 0 ? " at offset " + offset : "") + ": " + what;
    }

    /** Returns the file that holds the damage. */
    public String file() {
        return file;
    }

    /** Returns the byte offset of the damage in {@link #file()}, or -1 if unknown. */
    public long offset() {
        return offset;
    }
}
