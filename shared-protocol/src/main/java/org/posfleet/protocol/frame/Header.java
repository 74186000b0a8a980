package org.posfleet.protocol.frame;

/**
 * The 6-byte (12 BCD digit) application header:
 * <pre>
 *   application type n2 | software version n2 | terminal status n1 | processing requirement n1 | sub-version n6
 *   60 magstripe, 61 IC |                     | 0 normal, 1 test   | host to terminal: 0..7     |
 * </pre>
 * Kept as the 48 raw bits so that any value a terminal sends survives the round trip; the accessors read
 * nibbles. The host sets the processing requirement in replies (3 = sign on again).
 */
public record Header(long raw) {

    public static final int SIZE = 6;

    /** Processing requirements, host to terminal. */
    public static final int PR_NONE = 0;
    public static final int PR_DOWNLOAD_PARAMETERS = 1;
    public static final int PR_UPLOAD_STATUS = 2;
    public static final int PR_SIGN_ON_AGAIN = 3;
    public static final int PR_UPDATE_IC_PUBLIC_KEYS = 4;
    public static final int PR_DOWNLOAD_IC_PARAMETERS = 5;
    public static final int PR_TERMINAL_MANAGEMENT = 6;
    public static final int PR_BLACKLIST = 7;

    public Header {
        if ((raw & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("header is 48 bits");
        }
    }

    /**
     * @param applicationType       two digits, 60 or 61
     * @param softwareVersion       two digits
     * @param terminalStatus        one digit
     * @param processingRequirement one digit
     * @param subVersion            six digits
     */
    public static Header of(int applicationType, int softwareVersion, int terminalStatus, int processingRequirement, int subVersion) {
        String digits = String.format("%02d%02d%d%d%06d", applicationType, softwareVersion, terminalStatus, processingRequirement, subVersion);
        if (digits.length() != 12) {
            throw new IllegalArgumentException("header digits out of range: " + digits);
        }
        return new Header(Long.parseLong(digits, 16));
    }

    private int nibble(int index) {
        return (int) (raw >>> (44 - 4 * index)) & 0xF;
    }

    private int digits(int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + nibble(i);
        }
        return v;
    }

    public int applicationType() {
        return digits(0, 2);
    }

    public int softwareVersion() {
        return digits(2, 2);
    }

    public int terminalStatus() {
        return nibble(4);
    }

    public int processingRequirement() {
        return nibble(5);
    }

    public String subVersion() {
        return String.format("%06X", raw & 0xFF_FFFF);
    }

    /** The same header with another processing requirement (0..9). */
    public Header withProcessingRequirement(int requirement) {
        if (requirement < 0 || requirement > 9) {
            throw new IllegalArgumentException("processing requirement " + requirement);
        }
        return new Header((raw & ~(0xFL << 24)) | ((long) requirement << 24));
    }

    /** Reads a header at {@code b[p]}; any 6 bytes are kept as they are. */
    public static Header read(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < SIZE; i++) {
            v = (v << 8) | (b[p + i] & 0xFF);
        }
        return new Header(v);
    }

    void write(byte[] b, int p) {
        for (int i = 0; i < SIZE; i++) {
            b[p + i] = (byte) (raw >>> (8 * (SIZE - 1 - i)));
        }
    }

    @Override
    public String toString() {
        return String.format("%012X", raw);
    }
}
