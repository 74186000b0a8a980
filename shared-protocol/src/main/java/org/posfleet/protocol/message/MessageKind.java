package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.MessageTypeCode.*;
import static org.posfleet.protocol.message.NetworkCode.*;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Every request a terminal sends, as one table: MTI, processing code (3), condition code (25), message type
 * code (60.1), network management code (60.3), and whether it carries a MAC. A value of null or -1 means
 * "not part of the match". {@link #classify} reads this table; the host dispatches on its answer.
 */
public enum MessageKind {
    //                 MTI  field 3                      25  60.1         60.3                    MAC
    SIGN_ON(800, null, -1, MANAGEMENT, -2, false),
    SIGN_OFF(820, null, -1, MANAGEMENT, NetworkCode.SIGN_OFF, false),
    ECHO_TEST(820, null, -1, MANAGEMENT, NetworkCode.ECHO_TEST, false),
    TMK_DOWNLOAD(800, null, -1, MANAGEMENT, NetworkCode.TMK_DOWNLOAD, false),
    TMK_CONFIRM(800, null, -1, MANAGEMENT, NetworkCode.TMK_CONFIRM, false),
    PARAMETER_DOWNLOAD(800, null, -1, MANAGEMENT, NetworkCode.PARAMETER_DOWNLOAD, false),
    STATUS_UPLOAD(820, null, -1, MANAGEMENT, NetworkCode.STATUS_UPLOAD, false),
    IC_KEY_QUERY(820, null, -1, MANAGEMENT, NetworkCode.IC_KEY_QUERY, false),
    IC_KEY_DOWNLOAD(800, null, -1, MANAGEMENT, NetworkCode.IC_KEY_DOWNLOAD, false),
    IC_KEY_DOWNLOAD_END(800, null, -1, MANAGEMENT, NetworkCode.IC_KEY_DOWNLOAD_END, false),
    IC_PARAMETER_QUERY(820, null, -1, MANAGEMENT, NetworkCode.IC_PARAMETER_QUERY, false),
    IC_PARAMETER_DOWNLOAD(800, null, -1, MANAGEMENT, NetworkCode.IC_PARAMETER_DOWNLOAD, false),
    IC_PARAMETER_DOWNLOAD_END(800, null, -1, MANAGEMENT, NetworkCode.IC_PARAMETER_DOWNLOAD_END, false),
    /** 60.1 = 07 identifies it; 60.3 is 800 here, though one source uses 301 (docs/protocol.md). */
    SIGNATURE_UPLOAD(820, null, -1, SIGNATURE, -1, true),
    BALANCE_ENQUIRY(200, ProcessingCode.BALANCE, 0, MessageTypeCode.BALANCE, -1, true),
    SALE(200, ProcessingCode.PURCHASE, 0, MessageTypeCode.SALE, -1, true),
    SALE_VOID(200, ProcessingCode.VOID_OR_REFUND, 0, MessageTypeCode.SALE_VOID, -1, true),
    REFUND(220, ProcessingCode.VOID_OR_REFUND, 0, MessageTypeCode.REFUND, -1, true),
    PREAUTH(100, ProcessingCode.PREAUTH, 6, MessageTypeCode.PREAUTH, -1, true),
    PREAUTH_VOID(100, ProcessingCode.VOID_OR_REFUND, 6, MessageTypeCode.PREAUTH_VOID, -1, true),
    COMPLETION(200, ProcessingCode.PURCHASE, 6, MessageTypeCode.COMPLETION, -1, true),
    COMPLETION_VOID(200, ProcessingCode.VOID_OR_REFUND, 6, MessageTypeCode.COMPLETION_VOID, -1, true),
    /** 0400: a copy of the original's 3, 25 and 60; {@link #reversedKind} names the original. */
    REVERSAL(400, null, -1, -1, -1, true),
    SETTLEMENT(500, null, -1, MANAGEMENT, NetworkCode.SETTLEMENT, false),
    BATCH_UPLOAD(320, null, -1, -1, NetworkCode.BATCH_UPLOAD, false),
    BATCH_UPLOAD_END(320, null, -1, -1, -3, false);

    private final int mti;
    private final String processingCode;
    private final int conditionCode;
    private final int typeCode;
    /** -1 any, -2 a sign-on suite, -3 a batch-upload end code. */
    private final int networkCode;
    private final boolean mac;

    MessageKind(int mti, String processingCode, int conditionCode, int typeCode, int networkCode, boolean mac) {
        this.mti = mti;
        this.processingCode = processingCode;
        this.conditionCode = conditionCode;
        this.typeCode = typeCode;
        this.networkCode = networkCode;
        this.mac = mac;
    }

    public int requestMti() {
        return mti;
    }

    public int responseMti() {
        return mti + 10;
    }

    public String processingCode() {
        return processingCode;
    }

    public int conditionCode() {
        return conditionCode;
    }

    public int typeCode() {
        return typeCode;
    }

    /** Requests of this kind (and their approved replies) carry a MAC in field 64. */
    public boolean macRequired() {
        return mac;
    }

    /** True for the card transactions: balance, sale, void, refund, pre-authorization family. */
    public boolean financial() {
        return processingCode != null;
    }

    /** True for the voids that need the original and the supervisor's void password. */
    public boolean isVoid() {
        return this == SALE_VOID || this == PREAUTH_VOID || this == COMPLETION_VOID;
    }

    /** The kind of a request, or null when no row of the table matches (the host answers 40 or 12). */
    public static MessageKind classify(IsoMessage m) {
        return classify(m.mti(), m);
    }

    /** For a reversal, the kind of the original it reverses, or null. */
    public static MessageKind reversedKind(IsoMessage reversal) {
        Reserved60 r60 = Reserved60.parse(reversal.string(60));
        int originalMti = r60.messageTypeCode() == MessageTypeCode.PREAUTH || r60.messageTypeCode() == MessageTypeCode.PREAUTH_VOID ? 100 : 200;
        MessageKind k = classify(originalMti, reversal);
        return k != null && k.financial() ? k : null;
    }

    /** The kind of {@code m} read as if its MTI were {@code mti} (a reply classified by its request MTI). */
    public static MessageKind classify(int mti, IsoMessage m) {
        if (mti == 400) {
            return REVERSAL;
        }
        Reserved60 r60 = Reserved60.parse(m.string(60));
        String pc = m.string(3);
        int cc = m.has(25) ? (int) m.number(25) : 0;
        for (MessageKind k : VALUES) {
            if (k.mti != mti || k == REVERSAL) {
                continue;
            }
            if (k.processingCode != null && !k.processingCode.equals(pc)) {
                continue;
            }
            if (k.conditionCode >= 0 && k.conditionCode != cc) {
                continue;
            }
            if (k.typeCode >= 0 && k.typeCode != r60.messageTypeCode()) {
                continue;
            }
            int nc = r60.networkCode();
            boolean codeMatches = switch (k.networkCode) {
                case -1 -> true;
                case -2 -> isSignOn(nc);
                case -3 -> nc == BATCH_UPLOAD_END_BALANCED || nc == BATCH_UPLOAD_END_NOT_BALANCED;
                default -> k.networkCode == nc;
            };
            if (codeMatches) {
                return k;
            }
        }
        return null;
    }

    private static final MessageKind[] VALUES = values();
}
