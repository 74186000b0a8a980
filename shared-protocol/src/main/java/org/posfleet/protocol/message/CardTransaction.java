package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.EntryMode;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.iso.Digits;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * The card transactions: balance enquiry, sale, sale void, refund, pre-authorization, pre-authorization
 * void, completion and completion void. They share one layout; {@link MessageKind} sets 3, 25 and 60.1.
 * Voids and refunds name the original in 37 (RRN), 38 (authorization code) and 61 (batch + STAN).
 */
public final class CardTransaction {

    public static final String CURRENCY_CNY = "156";

    private CardTransaction() {
    }

    /**
     * @param amount          minor units, -1 when absent (balance enquiry)
     * @param track2          z digits as they travel (encrypted when 53.3 = 1), or null
     * @param pinBlock        the encrypted PIN block: 8 bytes (TDES) in 52, 16 bytes (SM4) in 62
     * @param supervisor      the supervisor's operator number (voids), -1 when absent
     * @param supervisorBlock the void password's credential block under the PIK (63, hex after the
     *                        supervisor number), voids only
     */
    public record Request(MessageKind kind, String pan, long amount, int stan, String expiry, EntryMode entryMode,
                          String cardSequence, String track2, String track3, String tid, String mid, String currency,
                          byte[] pinBlock, SecurityControl securityControl, byte[] icData, Reserved60 field60,
                          String originalRrn, String originalAuthCode, OriginalTransaction original, int supervisor,
                          byte[] supervisorBlock) {

        public Request {
            if (!kind.financial()) {
                throw new IllegalArgumentException(kind + " is not a card transaction");
            }
        }

        /** A request with the fields most flows use; batch goes into 60.2. */
        public static Request of(MessageKind kind, String pan, long amount, int stan, int batch, String tid, String mid) {
            return new Request(kind, pan, amount, stan, null, new EntryMode(EntryMode.MANUAL, 2), null, null, null, tid, mid,
                    CURRENCY_CNY, null, null, null, Reserved60.of(kind.typeCode(), batch, 0), null, null, null, -1, null);
        }

        public Request withPin(byte[] block, SecurityControl control) {
            return new Request(kind, pan, amount, stan, expiry, new EntryMode(entryMode.panEntry(), 1), cardSequence, track2,
                    track3, tid, mid, currency, block, control, icData, field60, originalRrn, originalAuthCode, original, supervisor, supervisorBlock);
        }

        /** For a void (or completion, refund): the original's RRN, authorization code and batch + STAN. */
        public Request withOriginal(String rrn, String authCode, OriginalTransaction orig) {
            return new Request(kind, pan, amount, stan, expiry, entryMode, cardSequence, track2, track3, tid, mid, currency,
                    pinBlock, securityControl, icData, field60, rrn, authCode, orig, supervisor, supervisorBlock);
        }

        public Request withSupervisor(int supervisorNumber, byte[] block) {
            return new Request(kind, pan, amount, stan, expiry, entryMode, cardSequence, track2, track3, tid, mid, currency,
                    pinBlock, securityControl, icData, field60, originalRrn, originalAuthCode, original, supervisorNumber, block);
        }

        public Request withTracks(String track2Digits, String track3Digits, String expiryYymm) {
            return new Request(kind, pan, amount, stan, expiryYymm, new EntryMode(EntryMode.SWIPE, entryMode.pinCapability()),
                    cardSequence, track2Digits, track3Digits, tid, mid, currency, pinBlock, securityControl, icData, field60,
                    originalRrn, originalAuthCode, original, supervisor, supervisorBlock);
        }

        public IsoMessage toMessage() {
            return toBuilder(kind.requestMti()).build();
        }

        /** The request's fields with field 64 announced, ready for encoding with a MAC signer. */
        public IsoMessage.Builder toBuilder(int mti) {
            IsoMessage.Builder b = start(mti, stan, tid, mid).set(3, kind.processingCode())
                    .set(22, entryMode.digits()).set(25, Digits.padded(kind.conditionCode(), 2))
                    .set(60, field60.digits());
            setIf(b, 2, pan);
            if (amount >= 0) {
                b.set(4, amount);
            }
            setIf(b, 14, expiry);
            setIf(b, 23, cardSequence);
            if (pinBlock != null) {
                b.set(26, "12").set(pinBlock.length == 8 ? 52 : 62, pinBlock);
            }
            setIf(b, 35, track2);
            setIf(b, 36, track3);
            setIf(b, 37, originalRrn);
            setIf(b, 38, originalAuthCode);
            setIf(b, 49, currency);
            if (securityControl != null) {
                b.set(53, securityControl.digits());
            }
            setIf(b, 55, icData);
            setIf(b, 61, original == null ? null : original.digits());
            if (supervisor >= 0) {
                b.set(63, OperatorNumber.withCredential(supervisor, supervisorBlock));
            }
            return b.withMac();
        }

        public static Request from(IsoMessage m) {
            MessageKind kind = m.mti() == 400 ? MessageKind.reversedKind(m) : MessageKind.classify(m);
            if (kind == null || !kind.financial()) {
                throw new IllegalArgumentException("not a card transaction: " + m.mtiString());
            }
            return new Request(kind, m.string(2), m.has(4) ? m.number(4) : -1, intOf(m, 11), m.string(14),
                    m.has(22) ? EntryMode.parse(m.string(22)) : new EntryMode(0, 0), m.string(23), m.string(35), m.string(36),
                    trimmed(m, 41), trimmed(m, 42), m.string(49), m.has(52) ? m.bytes(52) : m.has(26) ? m.bytes(62) : null,
                    m.has(53) ? SecurityControl.parse(m.string(53)) : null, m.bytes(55), Views.field60(m), m.string(37),
                    m.string(38), OriginalTransaction.parse(m.string(61)), OperatorNumber.parse(m.string(63)),
                    OperatorNumber.credential(m.string(63)));
        }

        /** 60.2 */
        public int batch() {
            return field60.batch();
        }
    }

    /**
     * @param balance      54 (balance enquiry), or null
     * @param settlementDate 15 MMDD, or null
     */
    public record Response(MessageKind kind, String pan, long amount, int stan, String time, String date, String expiry,
                           String settlementDate, String acquirer, String rrn, String authCode, ResponseCode responseCode,
                           String tid, String mid, String currency, String balance, Reserved60 field60) {

        /** Fields of the reply; with {@code mac} true field 64 is announced for the encoder to fill. */
        public IsoMessage toMessage(boolean mac) {
            IsoMessage.Builder b = reply(kind.responseMti(), stan, time, date, responseCode, tid, mid)
                    .set(3, kind.processingCode()).set(25, Digits.padded(kind.conditionCode(), 2))
                    .set(60, field60.digits());
            setIf(b, 2, pan);
            if (amount >= 0) {
                b.set(4, amount);
            }
            setIf(b, 14, expiry);
            setIf(b, 15, settlementDate);
            setIf(b, 32, acquirer);
            setIf(b, 37, rrn);
            setIf(b, 38, authCode);
            setIf(b, 49, currency);
            setIf(b, 54, balance);
            return mac ? b.withMac().build() : b.build();
        }

        public static Response from(MessageKind kind, IsoMessage m) {
            return new Response(kind, m.string(2), m.has(4) ? m.number(4) : -1, intOf(m, 11), m.string(12), m.string(13),
                    m.string(14), m.string(15), m.string(32), m.string(37), m.string(38), ResponseCode.of(m.string(39)),
                    trimmed(m, 41), trimmed(m, 42), m.string(49), m.string(54), Views.field60(m));
        }
    }
}
