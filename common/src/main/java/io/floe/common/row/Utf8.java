package io.floe.common.row;

import org.agrona.MutableDirectBuffer;

/** UTF-8 encoding into a buffer without allocation (the JDK's encoders allocate a byte[]). */
public final class Utf8 {
    private Utf8() {
    }

    /** Returns the most bytes {@code chars} UTF-16 chars can encode to. */
    public static int maxEncodedLength(int chars) {
        return chars * 3;
    }

    /**
     * Writes the UTF-8 encoding of {@code s} at {@code at} and returns the number of bytes written;
     * an unpaired surrogate is written as '?', as {@link String#getBytes} does.
     *
     * <p>Requires: {@code dst} has {@link #maxEncodedLength}{@code (s.length())} bytes at {@code at}.
     */
    public static int encode(CharSequence s, MutableDirectBuffer dst, int at) {
        int start = at;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst.putByte(at++, (byte) c);
            } else if (c < 0x800) {
                dst.putByte(at++, (byte) (0xC0 | (c >>> 6)));
                dst.putByte(at++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst.putByte(at++, (byte) (0xF0 | (cp >>> 18)));
                dst.putByte(at++, (byte) (0x80 | ((cp >>> 12) & 0x3F)));
                dst.putByte(at++, (byte) (0x80 | ((cp >>> 6) & 0x3F)));
                dst.putByte(at++, (byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                dst.putByte(at++, (byte) '?');
            } else {
                dst.putByte(at++, (byte) (0xE0 | (c >>> 12)));
                dst.putByte(at++, (byte) (0x80 | ((c >>> 6) & 0x3F)));
                dst.putByte(at++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return at - start;
    }
}
