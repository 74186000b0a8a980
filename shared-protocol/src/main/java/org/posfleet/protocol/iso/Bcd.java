package org.posfleet.protocol.iso;

/**
 * Packed-BCD and nibble helpers for the hot path: no allocation except where a String is asked for.
 * Nibble values: 0..9 digits; in z fields also 0xD, the track separator, and any nibble of an encrypted track.
 */
public final class Bcd {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Bcd() {
    }

    /** Nibble value of a character of an n or z value; -1 if it is not allowed in that type. */
    static int nibbleOf(char c, FieldType type) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (type == FieldType.Z) {
            // tracks: D (or '=') separates PAN and the rest; TDK-encrypted tracks carry any nibble
            if (c == '=') {
                return 0xD;
            }
            return Character.digit(c, 16);
        }
        return -1;
    }

    /**
     * Packs {@code digits} into {@code (n+1)/2} bytes at {@code out[off]}, padding an odd count with a zero
     * nibble on the side opposite to the alignment.
     */
    static void pack(CharSequence digits, FieldType type, Alignment alignment, byte[] out, int off) {
        int n = digits.length();
        int shift = (n & 1) == 1 && alignment == Alignment.RIGHT ? 1 : 0;
        int bytes = (n + 1) >>> 1;
        for (int i = 0; i < bytes; i++) {
            out[off + i] = 0;
        }
        for (int i = 0; i < n; i++) {
            int v = nibbleOf(digits.charAt(i), type);
            if (v < 0) {
                throw new IllegalArgumentException("'" + digits.charAt(i) + "' is not allowed in a " + type + " value");
            }
            int pos = i + shift;
            out[off + (pos >>> 1)] |= (byte) ((pos & 1) == 0 ? v << 4 : v);
        }
    }

    /** Unpacks {@code n} nibbles from packed bytes honouring alignment; D is shown as 'D'. */
    static String unpack(byte[] in, int off, int n, Alignment alignment) {
        char[] out = new char[n];
        int shift = (n & 1) == 1 && alignment == Alignment.RIGHT ? 1 : 0;
        for (int i = 0; i < n; i++) {
            int pos = i + shift;
            int b = in[off + (pos >>> 1)];
            out[i] = HEX[(pos & 1) == 0 ? (b >>> 4) & 0xF : b & 0xF];
        }
        return new String(out);
    }

    /** Parses up to 18 packed digits as a long without allocating. */
    static long toLong(byte[] in, int off, int n, Alignment alignment) {
        if (n > 18) {
            throw new IllegalArgumentException(n + " digits do not fit a long");
        }
        int shift = (n & 1) == 1 && alignment == Alignment.RIGHT ? 1 : 0;
        long v = 0;
        for (int i = 0; i < n; i++) {
            int pos = i + shift;
            int b = in[off + (pos >>> 1)];
            v = v * 10 + ((pos & 1) == 0 ? (b >>> 4) & 0xF : b & 0xF);
        }
        return v;
    }

    /** Two-digit BCD byte to its value, or -1 if either nibble is not a digit. */
    static int byteValue(int b) {
        int hi = (b >>> 4) & 0xF;
        int lo = b & 0xF;
        return hi > 9 || lo > 9 ? -1 : hi * 10 + lo;
    }

    /** Upper-case hex of a byte range. */
    public static String hex(byte[] in, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            out[2 * i] = HEX[(in[off + i] >>> 4) & 0xF];
            out[2 * i + 1] = HEX[in[off + i] & 0xF];
        }
        return new String(out);
    }

    public static String hex(byte[] in) {
        return hex(in, 0, in.length);
    }

    /** Parses hex, ignoring white space; throws IllegalArgumentException on anything else. */
    public static byte[] fromHex(CharSequence hex) {
        int digits = 0;
        for (int i = 0; i < hex.length(); i++) {
            if (!Character.isWhitespace(hex.charAt(i))) {
                digits++;
            }
        }
        if ((digits & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits / 2];
        int j = 0;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            int v = Character.digit(c, 16);
            if (v < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a hex digit");
            }
            out[j >>> 1] |= (byte) ((j & 1) == 0 ? v << 4 : v);
            j++;
        }
        return out;
    }
}
