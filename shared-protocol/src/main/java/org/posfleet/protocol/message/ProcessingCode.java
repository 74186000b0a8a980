package org.posfleet.protocol.message;

/** Field 3 values of the financial messages. */
public final class ProcessingCode {

    public static final String PURCHASE = "000000";
    public static final String PREAUTH = "030000";
    public static final String VOID_OR_REFUND = "200000";
    public static final String BALANCE = "310000";

    private ProcessingCode() {
    }
}
