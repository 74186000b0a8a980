package org.posfleet.host.ledger;

import java.util.Map;
import org.posfleet.protocol.message.ResponseCode;

/**
 * Amount-triggered answers, so a certifier can force any decline: the last two digits of the amount (the
 * cents) pick the response code. Any other amount is authorized on its merits (card, PIN, balance).
 *
 * <pre>
 *   .05 -> 05   .12 -> 12   .13 -> 13   .14 -> 14   .41 -> 41   .43 -> 43   .51 -> 51   .54 -> 54
 *   .55 -> 55   .57 -> 57   .61 -> 61   .75 -> 75   .96 -> 96   .98 -> no reply at all (the terminal times out and reverses)
 * </pre>
 */
public final class AmountRules {

    /** Marker for "do not answer". */
    public static final ResponseCode NO_REPLY = ResponseCode.ISSUER_TIMEOUT;

    private static final Map<Integer, ResponseCode> RULES = Map.ofEntries(
            Map.entry(5, ResponseCode.DO_NOT_HONOUR), Map.entry(12, ResponseCode.INVALID_TRANSACTION),
            Map.entry(13, ResponseCode.INVALID_AMOUNT), Map.entry(14, ResponseCode.INVALID_CARD),
            Map.entry(41, ResponseCode.LOST_CARD), Map.entry(43, ResponseCode.STOLEN_CARD),
            Map.entry(51, ResponseCode.INSUFFICIENT_FUNDS), Map.entry(54, ResponseCode.EXPIRED_CARD),
            Map.entry(55, ResponseCode.WRONG_PIN), Map.entry(57, ResponseCode.NOT_PERMITTED_TO_CARDHOLDER),
            Map.entry(61, ResponseCode.EXCEEDS_LIMIT), Map.entry(75, ResponseCode.PIN_TRIES_EXCEEDED),
            Map.entry(96, ResponseCode.SYSTEM_MALFUNCTION), Map.entry(98, NO_REPLY));

    private AmountRules() {
    }

    /** The forced answer for an amount, or null when the amount forces nothing. */
    public static ResponseCode forced(long amount) {
        return amount < 0 ? null : RULES.get((int) (amount % 100));
    }
}
