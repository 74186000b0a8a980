package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * E-signature upload 0820 (60.1 = 07, 60.3 = 800): the signature image (62, compressed) and slip data (55,
 * TLV) for the original transaction named by its RRN (37). Uploading again replaces the current signature
 * (re-signing). MACed. A reply of 00 or 94 counts as accepted.
 */
public final class SignatureUpload {

    private SignatureUpload() {
    }

    public record Request(int stan, String tid, String mid, int batch, String pan, long amount, String originalRrn,
                          byte[] slipData, byte[] image) {

        public IsoMessage toMessage() {
            IsoMessage.Builder b = start(820, stan, tid, mid).set(37, originalRrn)
                    .set(60, Reserved60.of(MessageTypeCode.SIGNATURE, batch, NetworkCode.SIGNATURE_UPLOAD).digits())
                    .set(62, image);
            setIf(b, 2, pan);
            if (amount >= 0) {
                b.set(4, amount);
            }
            setIf(b, 55, slipData);
            return b.withMac().build();
        }

        public static Request from(IsoMessage m) {
            return new Request(intOf(m, 11), trimmed(m, 41), trimmed(m, 42), field60(m).batch(), m.string(2),
                    m.has(4) ? m.number(4) : -1, m.string(37), m.bytes(55), m.bytes(62));
        }
    }

    /** 00 and 94 both mean the host holds the signature. */
    public static boolean accepted(ResponseCode rc) {
        return rc == ResponseCode.APPROVED || rc == ResponseCode.DUPLICATE;
    }

    public static IsoMessage response(IsoMessage request, String time, String date, ResponseCode rc) {
        IsoMessage.Builder b = IsoMessage.builder(830).copy(request, 2, 4, 11, 37, 41, 42, 60).set(39, rc.code());
        setIf(b, 12, time);
        setIf(b, 13, date);
        return b.withMac().build();
    }
}
