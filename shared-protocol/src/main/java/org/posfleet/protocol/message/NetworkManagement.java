package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * The management messages without a body of their own: sign-off (0820/002), echo test (0820/301),
 * parameter download (0800/360), status upload (0820/362) and the IC key and parameter exchanges
 * (370..382). Field 62 carries the parameters or status where the function has any.
 */
public final class NetworkManagement {

    private NetworkManagement() {
    }

    public record Request(MessageKind kind, int stan, String tid, String mid, int batch, byte[] data) {

        public Request {
            if (kind == null || kind.requestMti() != 800 && kind.requestMti() != 820 || kind.typeCode() != MessageTypeCode.MANAGEMENT) {
                throw new IllegalArgumentException(kind + " is not a network management message");
            }
        }

        public IsoMessage toMessage() {
            IsoMessage.Builder b = start(kind.requestMti(), stan, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, networkCodeOf(kind)).digits());
            setIf(b, 62, data);
            return b.build();
        }

        public static Request from(IsoMessage m) {
            Reserved60 r60 = field60(m);
            return new Request(MessageKind.classify(m), intOf(m, 11), trimmed(m, 41), trimmed(m, 42), r60.batch(), m.bytes(62));
        }
    }

    public record Response(MessageKind kind, int stan, String time, String date, ResponseCode responseCode, String tid,
                           String mid, int batch, byte[] data) {

        public IsoMessage toMessage() {
            IsoMessage.Builder b = reply(kind.responseMti(), stan, time, date, responseCode, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, batch, networkCodeOf(kind)).digits());
            setIf(b, 62, data);
            return b.build();
        }

        public static Response from(MessageKind kind, IsoMessage m) {
            return new Response(kind, intOf(m, 11), m.string(12), m.string(13), ResponseCode.of(m.string(39)),
                    trimmed(m, 41), trimmed(m, 42), field60(m).batch(), m.bytes(62));
        }
    }

    static int networkCodeOf(MessageKind kind) {
        return switch (kind) {
            case SIGN_OFF -> NetworkCode.SIGN_OFF;
            case ECHO_TEST -> NetworkCode.ECHO_TEST;
            case PARAMETER_DOWNLOAD -> NetworkCode.PARAMETER_DOWNLOAD;
            case STATUS_UPLOAD -> NetworkCode.STATUS_UPLOAD;
            case IC_KEY_QUERY -> NetworkCode.IC_KEY_QUERY;
            case IC_KEY_DOWNLOAD -> NetworkCode.IC_KEY_DOWNLOAD;
            case IC_KEY_DOWNLOAD_END -> NetworkCode.IC_KEY_DOWNLOAD_END;
            case IC_PARAMETER_QUERY -> NetworkCode.IC_PARAMETER_QUERY;
            case IC_PARAMETER_DOWNLOAD -> NetworkCode.IC_PARAMETER_DOWNLOAD;
            case IC_PARAMETER_DOWNLOAD_END -> NetworkCode.IC_PARAMETER_DOWNLOAD_END;
            default -> throw new IllegalArgumentException(kind + " has its own view");
        };
    }
}
