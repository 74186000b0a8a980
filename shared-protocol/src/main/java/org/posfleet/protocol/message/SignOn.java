package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import java.nio.charset.StandardCharsets;
import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/** Sign-on: 0800 with 60.3 naming the key suite, and its 0810 carrying the working keys in 62. */
public final class SignOn {

    private SignOn() {
    }

    /**
     * @param keySuite       60.3: 001, 003, 004 or 005 (SM4)
     * @param operator       operator number (63)
     * @param passwordBlock  the operator password's credential block under the TMK (63, hex after the
     *                       operator number), or null
     * @param deviceSerial   the device's serial number (62, ASCII), or null
     */
    public record Request(int stan, String tid, String mid, int batch, int keySuite, int operator, byte[] passwordBlock,
                          String deviceSerial) {

        public IsoMessage toMessage() {
            IsoMessage.Builder b = start(800, stan, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, keySuite).digits())
                    .set(63, OperatorNumber.withCredential(operator, passwordBlock));
            setIf(b, 62, deviceSerial == null ? null : deviceSerial.getBytes(StandardCharsets.US_ASCII));
            return b.build();
        }

        public static Request from(IsoMessage m) {
            Reserved60 r60 = field60(m);
            byte[] serial = m.bytes(62);
            return new Request(intOf(m, 11), trimmed(m, 41), trimmed(m, 42), r60.batch(), r60.networkCode(),
                    OperatorNumber.parse(m.string(63)), OperatorNumber.credential(m.string(63)),
                    serial == null ? null : new String(serial, StandardCharsets.US_ASCII).strip());
        }
    }

    /**
     * @param acquirer     acquiring institution id (32)
     * @param batch        60.2: the batch number the terminal adopts
     * @param workingKeys  62: keys under the TMK with check values (see WorkingKeys), null unless approved
     */
    public record Response(int stan, String time, String date, String acquirer, String rrn, ResponseCode responseCode,
                           String tid, String mid, int batch, int keySuite, byte[] workingKeys) {

        public IsoMessage toMessage() {
            IsoMessage.Builder b = reply(810, stan, time, date, responseCode, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, keySuite).digits());
            setIf(b, 32, acquirer);
            setIf(b, 37, rrn);
            setIf(b, 62, workingKeys);
            return b.build();
        }

        public static Response from(IsoMessage m) {
            Reserved60 r60 = field60(m);
            return new Response(intOf(m, 11), m.string(12), m.string(13), m.string(32), m.string(37),
                    ResponseCode.of(m.string(39)), trimmed(m, 41), trimmed(m, 42), r60.batch(), r60.networkCode(), m.bytes(62));
        }
    }
}
