package org.posfleet.protocol.field;

import org.posfleet.protocol.iso.Digits;

/**
 * Field 61 of a void, refund, completion or reversal: the original's batch and STAN, optionally its date
 * (MMDD, -1 when absent), and further sub-fields kept verbatim.
 */
public record OriginalTransaction(int batch, int stan, int date, String rest) {

    public OriginalTransaction {
        if (batch < 0 || batch > 999_999 || stan < 0 || stan > 999_999 || date < -1 || date > 9999) {
            throw new IllegalArgumentException("field 61 parts out of range");
        }
        rest = rest == null ? "" : rest;
        if (date < 0 && !rest.isEmpty()) {
            throw new IllegalArgumentException("field 61 rest without a date");
        }
    }

    public static OriginalTransaction of(int batch, int stan) {
        return new OriginalTransaction(batch, stan, -1, "");
    }

    /** Null when the value is too short to hold batch and STAN. */
    public static OriginalTransaction parse(String digits) {
        SubFieldLayout l = SubFieldLayouts.ORIGINAL_61;
        String batch = digits == null ? null : l.part(digits, 0);
        String stan = digits == null ? null : l.part(digits, 1);
        if (batch == null || stan == null) {
            return null;
        }
        String date = l.part(digits, 2);
        return new OriginalTransaction(Integer.parseInt(batch), Integer.parseInt(stan),
                date == null ? -1 : Integer.parseInt(date), date == null ? "" : digits.substring(16));
    }

    public String digits() {
        StringBuilder sb = Digits.append(Digits.append(new StringBuilder(16 + rest.length()), batch, 6), stan, 6);
        return date < 0 ? sb.toString() : Digits.append(sb, date, 4).append(rest).toString();
    }
}
