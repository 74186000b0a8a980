package org.posfleet.protocol.message;

/** 60.1 message type codes. */
public final class MessageTypeCode {

    public static final int MANAGEMENT = 0;
    public static final int BALANCE = 1;
    public static final int SIGNATURE = 7;
    public static final int PREAUTH = 10;
    public static final int PREAUTH_VOID = 11;
    public static final int COMPLETION = 20;
    public static final int COMPLETION_VOID = 21;
    public static final int SALE = 22;
    public static final int SALE_VOID = 23;
    public static final int REFUND = 25;

    private MessageTypeCode() {
    }
}
