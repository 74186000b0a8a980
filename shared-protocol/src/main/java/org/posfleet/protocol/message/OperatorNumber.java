package org.posfleet.protocol.message;

/**
 * Field 63's operator number. Terminals send "01 ", "01" and "001"; all read as operator 1. We send two
 * digits and a space for 1..99 (the UnionPay an3 form) and three digits for 100..999.
 */
public final class OperatorNumber {

    private OperatorNumber() {
    }

    public static String format(int operator) {
        if (operator < 0 || operator > 999) {
            throw new IllegalArgumentException("operator number " + operator);
        }
        return operator < 100 ? org.posfleet.protocol.iso.Digits.padded(operator, 2) + " " : Integer.toString(operator);
    }

    /**
     * Field 63 with an operator number and, when given, a credential block (operator password at sign-on,
     * supervisor void password in voids) as upper-case hex after it.
     */
    public static String withCredential(int operator, byte[] block) {
        String number = format(operator);
        if (block == null) {
            return number;
        }
        return (number.length() == 2 ? number + " " : number) + org.posfleet.protocol.iso.Bcd.hex(block);
    }

    /** The credential block after the operator number in 63, or null when absent or not hex. */
    public static byte[] credential(String field63) {
        if (field63 == null || field63.length() <= 3) {
            return null;
        }
        String hex = field63.substring(3).strip();
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            return null;
        }
        try {
            return org.posfleet.protocol.iso.Bcd.fromHex(hex);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The operator number in the first three characters of 63, or -1 when they are not 1..3 digits. */
    public static int parse(String field63) {
        if (field63 == null) {
            return -1;
        }
        String head = field63.length() > 3 ? field63.substring(0, 3) : field63;
        head = head.strip();
        if (head.isEmpty() || head.length() > 3 || !head.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Integer.parseInt(head);
    }
}
