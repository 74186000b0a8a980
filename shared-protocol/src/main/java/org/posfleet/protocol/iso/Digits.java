package org.posfleet.protocol.iso;

/**
 * Zero-padded decimal, as {@code String.format("%0Nd")} writes it but without a formatter per call (it was a tenth
 * of the host's event-loop CPU: field 60, RRNs, authorization codes) and with ASCII digits whatever the locale.
 */
public final class Digits {

    private Digits() {
    }

    /** {@code value} in at least {@code width} digits, zeros in front; longer values keep all their digits. */
    public static String padded(long value, int width) {
        return append(new StringBuilder(Math.max(width, 20)), value, width).toString();
    }

    /** Appends {@link #padded} to {@code sb}. */
    public static StringBuilder append(StringBuilder sb, long value, int width) {
        if (value < 0) { // never on the wire; kept the formatter's way for the odd negative total
            return sb.append(String.format(java.util.Locale.ROOT, "%0" + width + "d", value));
        }
        int length = 1;
        for (long v = value / 10; v > 0; v /= 10) {
            length++;
        }
        for (int i = length; i < width; i++) {
            sb.append('0');
        }
        return sb.append(value);
    }
}
