package org.posfleet.protocol.iso;

import static org.posfleet.protocol.iso.Alignment.LEFT;
import static org.posfleet.protocol.iso.Alignment.RIGHT;
import static org.posfleet.protocol.iso.FieldType.AN;
import static org.posfleet.protocol.iso.FieldType.ANS;
import static org.posfleet.protocol.iso.FieldType.B;
import static org.posfleet.protocol.iso.FieldType.N;
import static org.posfleet.protocol.iso.FieldType.Z;
import static org.posfleet.protocol.iso.Prefix.FIXED;
import static org.posfleet.protocol.iso.Prefix.LL;
import static org.posfleet.protocol.iso.Prefix.LLL;

/**
 * The field-spec table of the China-UnionPay-style terminal protocol, fields 2..64. This table is the only
 * place the wire format of a field is written down; encoder, decoder, decode command and docs read it.
 */
public final class FieldSpecs {

    private static final FieldSpec[] TABLE = new FieldSpec[65];

    static {
        fixed(3, N, 6, "processing code");
        fixed(4, N, 12, "amount, minor units");
        fixed(5, N, 12, "settlement amount");
        fixed(6, N, 12, "cardholder billing amount");
        fixed(7, N, 10, "transmission date and time MMDDhhmmss");
        fixed(8, N, 8, "cardholder billing fee");
        fixed(9, N, 8, "settlement conversion rate");
        fixed(10, N, 8, "billing conversion rate");
        fixed(11, N, 6, "STAN (system trace audit number)");
        fixed(12, N, 6, "local time hhmmss");
        fixed(13, N, 4, "local date MMDD");
        fixed(14, N, 4, "expiry date YYMM");
        fixed(15, N, 4, "settlement date MMDD");
        fixed(16, N, 4, "conversion date MMDD");
        fixed(17, N, 4, "capture date MMDD");
        fixed(18, N, 4, "merchant type (MCC)");
        fixed(19, N, 3, "acquiring institution country code");
        fixed(20, N, 3, "PAN extended country code");
        fixed(21, N, 3, "forwarding institution country code");
        put(new FieldSpec(22, N, 3, FIXED, LEFT, "POS entry mode")); // left aligned: 071 -> 07 10
        fixed(23, N, 3, "card sequence number");
        fixed(24, N, 3, "NII");
        fixed(25, N, 2, "POS condition code");
        fixed(26, N, 2, "PIN capture code");
        fixed(27, N, 1, "authorization id response length");
        fixed(28, AN, 9, "transaction fee amount");
        fixed(29, AN, 9, "settlement fee amount");
        fixed(30, AN, 9, "transaction processing fee amount");
        fixed(31, AN, 9, "settlement processing fee amount");
        variable(32, N, 11, LL, "acquiring institution id");
        variable(33, N, 11, LL, "forwarding institution id");
        variable(34, ANS, 28, LL, "PAN extended");
        variable(35, Z, 37, LL, "track 2 data");
        variable(36, Z, 104, LLL, "track 3 data");
        fixed(37, AN, 12, "RRN (retrieval reference number)");
        fixed(38, AN, 6, "authorization code");
        fixed(39, AN, 2, "response code");
        fixed(40, AN, 3, "service restriction code");
        fixed(41, ANS, 8, "TID (terminal id)");
        fixed(42, ANS, 15, "MID (merchant id)");
        fixed(43, ANS, 40, "card acceptor name and location");
        variable(44, AN, 25, LL, "issuer id + acquirer id");
        variable(45, AN, 76, LL, "track 1 data");
        variable(46, ANS, 999, LLL, "additional data ISO");
        variable(47, ANS, 999, LLL, "additional data national");
        variable(48, N, 322, LLL, "additional data private (settlement totals, batch upload)");
        fixed(49, AN, 3, "transaction currency code");
        fixed(50, AN, 3, "settlement currency code");
        fixed(51, AN, 3, "billing currency code");
        fixed(52, B, 8, "PIN block");
        fixed(53, N, 16, "security control information");
        variable(54, AN, 20, LLL, "balance amount");
        variable(55, B, 255, LLL, "IC card data (TLV)");
        variable(56, B, 255, LLL, "reserved");
        variable(57, ANS, 100, LLL, "reserved national");
        variable(58, ANS, 100, LLL, "PBOC electronic wallet");
        variable(59, ANS, 600, LLL, "reserved private");
        variable(60, N, 17, LLL, "reserved private (60.1 type, 60.2 batch, 60.3 network code ...)");
        variable(61, N, 29, LLL, "original message (batch, STAN, date ...)");
        variable(62, B, 512, LLL, "reserved private (working keys, signature image, parameters)");
        variable(63, ANS, 163, LLL, "reserved private (operator number ...)");
        fixed(64, B, 8, "MAC");
        variable(2, N, 19, LL, "PAN (primary account number)");
    }

    private FieldSpecs() {
    }

    private static void fixed(int number, FieldType type, int length, String name) {
        put(new FieldSpec(number, type, length, FIXED, RIGHT, name));
    }

    private static void variable(int number, FieldType type, int length, Prefix prefix, String name) {
        put(new FieldSpec(number, type, length, prefix, LEFT, name));
    }

    private static void put(FieldSpec spec) {
        if (TABLE[spec.number()] != null) {
            throw new IllegalStateException("field " + spec.number() + " defined twice");
        }
        TABLE[spec.number()] = spec;
    }

    /** The spec of a field 2..64. */
    public static FieldSpec get(int number) {
        if (number < 2 || number > 64) {
            throw new IllegalArgumentException("no field " + number + " in this format");
        }
        return TABLE[number];
    }

    /** Same as {@link #get} without the range check, for the codec's inner loop (2..64 only). */
    static FieldSpec at(int number) {
        return TABLE[number];
    }
}
