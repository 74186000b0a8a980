package org.posfleet.protocol.field;

import org.posfleet.protocol.iso.Digits;

/**
 * Field 60: 60.1 message type code n2, 60.2 batch n6, 60.3 network management information code n3, then
 * optional 60.4..60.7 and anything newer terminals add, kept verbatim in {@code rest}.
 * A part the terminal did not send is -1.
 */
public record Reserved60(int messageTypeCode, int batch, int networkCode, String rest) {

    public Reserved60 {
        if (messageTypeCode < -1 || messageTypeCode > 99 || batch < -1 || batch > 999_999 || networkCode < -1 || networkCode > 999) {
            throw new IllegalArgumentException("field 60 parts out of range");
        }
        if (networkCode < 0 && !rest.isEmpty()) {
            throw new IllegalArgumentException("field 60 rest without 60.3");
        }
        rest = rest == null ? "" : rest;
    }

    public static Reserved60 of(int messageTypeCode, int batch, int networkCode) {
        return new Reserved60(messageTypeCode, batch, networkCode, "");
    }

    /** Reads what is there; an incomplete part counts as absent. Digits only (the codec checked them). */
    public static Reserved60 parse(String digits) {
        if (digits == null) {
            return new Reserved60(-1, -1, -1, "");
        }
        SubFieldLayout l = SubFieldLayouts.RESERVED_60;
        String type = l.part(digits, 0);
        String batch = l.part(digits, 1);
        String code = l.part(digits, 2);
        String rest = code == null ? "" : digits.substring(11);
        return new Reserved60(type == null ? -1 : Integer.parseInt(type), batch == null ? -1 : Integer.parseInt(batch),
                code == null ? -1 : Integer.parseInt(code), rest);
    }

    /** The same with another batch number (a sign-on reply gives the batch the terminal adopts). */
    public Reserved60 withBatch(int newBatch) {
        return new Reserved60(messageTypeCode, newBatch, networkCode, rest);
    }

    public String digits() {
        StringBuilder sb = new StringBuilder(17);
        if (messageTypeCode >= 0) {
            Digits.append(sb, messageTypeCode, 2);
            if (batch >= 0) {
                Digits.append(sb, batch, 6);
                if (networkCode >= 0) {
                    Digits.append(sb, networkCode, 3).append(rest);
                }
            }
        }
        return sb.toString();
    }
}
