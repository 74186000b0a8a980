package org.posfleet.protocol.message;

import static org.posfleet.protocol.message.Views.*;

import java.nio.charset.StandardCharsets;
import org.posfleet.protocol.field.Reserved60;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Remote TMK download, this project's design (docs/protocol.md): the terminal sends its device serial and
 * a fresh public key (RSA for OAEP, or SM2); the host answers with a new TMK encrypted under that key and
 * the TMK's check value; the terminal installs it and confirms with the check value it computed.
 * <pre>
 *   0800 60.3=350  62 = TLV{DF01 serial, DF02 transport, DF03 public key (X.509 SubjectPublicKeyInfo DER)}
 *   0810 60.3=350  62 = TLV{DF04 TMK under the public key, DF05 check value (4), DF06 TMK algorithm}
 *   0800 60.3=351  62 = TLV{DF01 serial, DF05 check value the terminal computed}
 *   0810 60.3=351  39 = 00 when it matches; the TMK is active from then on
 * </pre>
 */
public final class TmkDownload {

    public static final int TAG_SERIAL = 0xDF01;
    public static final int TAG_TRANSPORT = 0xDF02;
    public static final int TAG_PUBLIC_KEY = 0xDF03;
    public static final int TAG_ENCRYPTED_TMK = 0xDF04;
    public static final int TAG_CHECK_VALUE = 0xDF05;
    public static final int TAG_TMK_ALGORITHM = 0xDF06;

    /** DF02 values. */
    public static final int TRANSPORT_RSA_OAEP_SHA256 = 1;
    public static final int TRANSPORT_SM2 = 2;
    /** DF06 values. */
    public static final int TMK_TDES_DOUBLE = 1;
    public static final int TMK_SM4 = 2;

    private TmkDownload() {
    }

    public record Request(int stan, String tid, String mid, String deviceSerial, int transport, int tmkAlgorithm, byte[] publicKey) {

        public IsoMessage toMessage() {
            byte[] tlv = new Tlv().put(TAG_SERIAL, deviceSerial.getBytes(StandardCharsets.US_ASCII))
                    .put(TAG_TRANSPORT, new byte[] {(byte) transport})
                    .put(TAG_TMK_ALGORITHM, new byte[] {(byte) tmkAlgorithm})
                    .put(TAG_PUBLIC_KEY, publicKey).encode();
            return start(800, stan, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, 0, NetworkCode.TMK_DOWNLOAD).digits())
                    .set(62, tlv).build();
        }

        /** Throws ProtocolException when 62 is malformed; absent items come back as null / -1. */
        public static Request from(IsoMessage m) {
            Tlv tlv = Tlv.parse(m.has(62) ? m.bytes(62) : new byte[0], 62);
            byte[] serial = tlv.get(TAG_SERIAL);
            return new Request(intOf(m, 11), trimmed(m, 41), trimmed(m, 42),
                    serial == null ? null : new String(serial, StandardCharsets.US_ASCII),
                    firstByte(tlv.get(TAG_TRANSPORT)), firstByte(tlv.get(TAG_TMK_ALGORITHM)), tlv.get(TAG_PUBLIC_KEY));
        }
    }

    public record Response(int stan, String time, String date, ResponseCode responseCode, String tid, String mid,
                           byte[] encryptedTmk, byte[] checkValue, int tmkAlgorithm) {

        public IsoMessage toMessage() {
            IsoMessage.Builder b = reply(810, stan, time, date, responseCode, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, 0, NetworkCode.TMK_DOWNLOAD).digits());
            if (encryptedTmk != null) {
                b.set(62, new Tlv().put(TAG_ENCRYPTED_TMK, encryptedTmk).put(TAG_CHECK_VALUE, checkValue)
                        .put(TAG_TMK_ALGORITHM, new byte[] {(byte) tmkAlgorithm}).encode());
            }
            return b.build();
        }

        public static Response from(IsoMessage m) {
            Tlv tlv = Tlv.parse(m.has(62) ? m.bytes(62) : new byte[0], 62);
            return new Response(intOf(m, 11), m.string(12), m.string(13), ResponseCode.of(m.string(39)), trimmed(m, 41),
                    trimmed(m, 42), tlv.get(TAG_ENCRYPTED_TMK), tlv.get(TAG_CHECK_VALUE), firstByte(tlv.get(TAG_TMK_ALGORITHM)));
        }
    }

    public record Confirm(int stan, String tid, String mid, String deviceSerial, byte[] checkValue) {

        public IsoMessage toMessage() {
            return start(800, stan, tid, mid)
                    .set(60, Reserved60.of(MessageTypeCode.MANAGEMENT, 0, NetworkCode.TMK_CONFIRM).digits())
                    .set(62, new Tlv().put(TAG_SERIAL, deviceSerial.getBytes(StandardCharsets.US_ASCII))
                            .put(TAG_CHECK_VALUE, checkValue).encode()).build();
        }

        public static Confirm from(IsoMessage m) {
            Tlv tlv = Tlv.parse(m.has(62) ? m.bytes(62) : new byte[0], 62);
            byte[] serial = tlv.get(TAG_SERIAL);
            return new Confirm(intOf(m, 11), trimmed(m, 41), trimmed(m, 42),
                    serial == null ? null : new String(serial, StandardCharsets.US_ASCII), tlv.get(TAG_CHECK_VALUE));
        }
    }

    private static int firstByte(byte[] v) {
        return v == null || v.length != 1 ? -1 : v[0] & 0xFF;
    }
}
