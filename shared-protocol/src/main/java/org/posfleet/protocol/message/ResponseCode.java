package org.posfleet.protocol.message;

import java.util.HashMap;
import java.util.Map;

/** Field 39 values this protocol uses, with their meaning and what the terminal must do next. */
public enum ResponseCode {
    APPROVED("00", "approved"),
    REFER_TO_ISSUER("01", "refer to card issuer"),
    INVALID_MERCHANT("03", "invalid merchant"),
    DO_NOT_HONOUR("05", "do not honour"),
    ERROR("06", "error (reversal reason: declined after host approval)"),
    INVALID_TRANSACTION("12", "invalid transaction"),
    INVALID_AMOUNT("13", "invalid amount"),
    INVALID_CARD("14", "invalid card number"),
    STATE_MISMATCH("22", "state mismatch, sign on again"),
    ORIGINAL_NOT_FOUND("25", "original transaction not found"),
    FORMAT_ERROR("30", "format error"),
    LOST_CARD("41", "lost card, pick up"),
    STOLEN_CARD("43", "stolen card, pick up"),
    FUNCTION_NOT_SUPPORTED("40", "function not supported"),
    INSUFFICIENT_FUNDS("51", "insufficient funds"),
    EXPIRED_CARD("54", "expired card"),
    WRONG_PIN("55", "incorrect PIN"),
    NOT_PERMITTED_TO_CARDHOLDER("57", "transaction not permitted to cardholder"),
    NOT_PERMITTED_ON_TERMINAL("58", "transaction not permitted on this terminal"),
    EXCEEDS_LIMIT("61", "exceeds amount limit"),
    AMOUNT_DIFFERS("64", "amount differs from original"),
    PIN_TRIES_EXCEEDED("75", "PIN tries exceeded"),
    BATCH_MISMATCH("77", "batch mismatch, sign on again"),
    DUPLICATE("94", "duplicate transmission"),
    SYSTEM_MALFUNCTION("96", "system malfunction"),
    TERMINAL_NOT_REGISTERED("97", "terminal not registered"),
    ISSUER_TIMEOUT("98", "issuer timeout (reversal reason: no reply)"),
    PIN_FORMAT_ERROR("99", "PIN format error, sign on again"),
    MAC_ERROR("A0", "MAC error, sign on again"),
    SECURITY_FAILURE("A7", "security processing failure: no keys loaded for this terminal");

    private static final Map<String, ResponseCode> BY_CODE = new HashMap<>();

    static {
        for (ResponseCode rc : values()) {
            BY_CODE.put(rc.code, rc);
        }
    }

    private final String code;
    private final String meaning;

    ResponseCode(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    public boolean approved() {
        return this == APPROVED;
    }

    /** True for the codes after which the terminal must sign on again before transacting. */
    public boolean requiresSignOn() {
        return this == STATE_MISMATCH || this == BATCH_MISMATCH || this == PIN_FORMAT_ERROR || this == MAC_ERROR;
    }

    /** The code for a field-39 value, or null when this protocol does not define it. */
    public static ResponseCode of(String code) {
        return code == null ? null : BY_CODE.get(code);
    }
}
