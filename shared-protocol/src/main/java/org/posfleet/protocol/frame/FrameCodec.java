package org.posfleet.protocol.frame;

import static org.posfleet.protocol.iso.ProtocolException.Reason.FRAME_LENGTH;
import static org.posfleet.protocol.iso.ProtocolException.Reason.TRUNCATED;

import org.posfleet.protocol.iso.IsoCodec;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.MacSigner;
import org.posfleet.protocol.iso.ProtocolException;

/**
 * Frames on the terminal link:
 * <pre>
 *   +--------+-------------+-------------+-------------------------------+
 *   | length |    TPDU     |   header    |  MTI | bitmap | fields ...    |
 *   |   2    |      5      |      6      |                               |
 *   +--------+-------------+-------------+-------------------------------+
 *            |&lt;--------------------- length bytes --------------------&gt;|
 * </pre>
 * The length is binary big-endian and counts everything after itself.
 */
public final class FrameCodec {

    public static final int LENGTH_SIZE = 2;
    /** TPDU, header, MTI and bitmap: the shortest frame body. */
    public static final int MIN_BODY = Tpdu.SIZE + Header.SIZE + 10;
    /**
     * Default largest frame body accepted. The largest legitimate messages (e-signature upload: 62 up to
     * 999 bytes with 55 beside it) stay well under it; anything longer is treated as a broken stream.
     */
    public static final int DEFAULT_MAX_BODY = 4096;

    private FrameCodec() {
    }

    /** Decodes a frame body (the bytes after the 2-byte length). Errors count offsets from {@code off}. */
    public static Frame decode(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off + len > buf.length) {
            throw new ProtocolException(TRUNCATED, 0, 0, "no bytes");
        }
        if (len < MIN_BODY) {
            throw new ProtocolException(TRUNCATED, 0, 0, "frame body of " + len + " bytes is shorter than " + MIN_BODY);
        }
        Tpdu tpdu = Tpdu.read(buf, off);
        Header header = Header.read(buf, off + Tpdu.SIZE);
        int iso = off + Tpdu.SIZE + Header.SIZE;
        IsoMessage message = IsoCodec.decode(buf, iso, len - Tpdu.SIZE - Header.SIZE, off);
        return new Frame(tpdu, header, message);
    }

    /** Decodes a whole frame, 2-byte length included; the length must match the bytes given. */
    public static Frame decodeWithLength(byte[] frame) {
        int body = bodyLength(frame, 0, DEFAULT_MAX_BODY);
        if (body != frame.length - LENGTH_SIZE) {
            throw new ProtocolException(FRAME_LENGTH, 0, 0, "length says " + body + ", " + (frame.length - LENGTH_SIZE) + " bytes follow");
        }
        return decode(frame, LENGTH_SIZE, body);
    }

    /** Reads and checks the 2-byte length at {@code off}. */
    public static int bodyLength(byte[] buf, int off, int maxBody) {
        if (buf.length - off < LENGTH_SIZE) {
            throw new ProtocolException(TRUNCATED, 0, 0, "length prefix missing");
        }
        int body = ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
        checkBodyLength(body, maxBody);
        return body;
    }

    static void checkBodyLength(int body, int maxBody) {
        if (body < MIN_BODY || body > maxBody) {
            throw new ProtocolException(FRAME_LENGTH, 0, 0, "frame length " + body + " outside " + MIN_BODY + ".." + maxBody);
        }
    }

    /** Encodes a frame with its 2-byte length; with a signer, field 64 (when announced) gets the MAC. */
    public static byte[] encode(Frame frame, MacSigner signer) {
        int body = Tpdu.SIZE + Header.SIZE + IsoCodec.encodedSize(frame.message());
        if (body > 0xFFFF) {
            throw new IllegalArgumentException("frame of " + body + " bytes does not fit a 2-byte length");
        }
        byte[] out = new byte[LENGTH_SIZE + body];
        out[0] = (byte) (body >>> 8);
        out[1] = (byte) body;
        frame.tpdu().write(out, LENGTH_SIZE);
        frame.header().write(out, LENGTH_SIZE + Tpdu.SIZE);
        IsoCodec.encode(frame.message(), signer, out, LENGTH_SIZE + Tpdu.SIZE + Header.SIZE);
        return out;
    }

    public static byte[] encode(Frame frame) {
        return encode(frame, null);
    }
}
