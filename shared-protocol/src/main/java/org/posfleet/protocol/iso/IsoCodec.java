package org.posfleet.protocol.iso;

import static org.posfleet.protocol.iso.ProtocolException.Reason.BAD_BITMAP;
import static org.posfleet.protocol.iso.ProtocolException.Reason.BAD_DIGIT;
import static org.posfleet.protocol.iso.ProtocolException.Reason.BAD_LENGTH_PREFIX;
import static org.posfleet.protocol.iso.ProtocolException.Reason.TRAILING_BYTES;
import static org.posfleet.protocol.iso.ProtocolException.Reason.TRUNCATED;

/**
 * Encodes and decodes the ISO 8583 part of a frame: MTI (2 bytes BCD), primary bitmap (8 bytes) and the
 * fields the bitmap announces, each laid out as {@link FieldSpecs} says.
 *
 * <pre>
 *   +-----+----------+---------------------+-----+----------------------+
 *   | MTI |  bitmap  | [LL|LLL] field 2..  | ... | field 64 (MAC, b8)   |
 *   |  2  |    8     |  prefix BCD + value |     |                      |
 *   +-----+----------+---------------------+-----+----------------------+
 *   |&lt;------------------- MAC input -----------------&gt;|
 * </pre>
 *
 * Decoding is a single pass that validates every length against the bytes left and every BCD nibble,
 * and records where each field lies; it never allocates from a length read off the wire, and it only
 * throws {@link ProtocolException}.
 */
public final class IsoCodec {

    static final int MTI_AND_BITMAP = 10;

    /** The bitmap is one big-endian long: read and written in one access. */
    private static final java.lang.invoke.VarHandle LONG_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private IsoCodec() {
    }

    /** Decodes {@code len} bytes at {@code off}; offsets in errors count from {@code off}. */
    public static IsoMessage decode(byte[] buf, int off, int len) {
        return decode(buf, off, len, off);
    }

    /**
     * Decodes {@code len} bytes at {@code off}; offsets in errors count from {@code origin}, so a frame decoder
     * can report them relative to the frame body. The result refers to {@code buf}: do not reuse it.
     */
    public static IsoMessage decode(byte[] buf, int off, int len, int origin) {
        if (buf == null || off < 0 || len < 0 || off + len > buf.length || off + len < 0) {
            throw new ProtocolException(TRUNCATED, 0, 0, "no bytes");
        }
        final int end = off + len;
        if (len > 0xFFFF) {
            throw new ProtocolException(ProtocolException.Reason.FRAME_LENGTH, 0, off - origin, "a message is at most 65535 bytes");
        }
        if (len < MTI_AND_BITMAP) {
            throw new ProtocolException(TRUNCATED, 0, off - origin, "MTI and bitmap need 10 bytes, have " + len);
        }
        int m1 = Bcd.byteValue(buf[off]);
        int m2 = Bcd.byteValue(buf[off + 1]);
        if (m1 < 0 || m2 < 0) {
            throw new ProtocolException(BAD_DIGIT, 0, off - origin, "MTI is not BCD");
        }
        final int mti = m1 * 100 + m2;
        long bitmap = (long) LONG_BE.get(buf, off + 2);
        if ((bitmap & IsoMessage.FIELD_1) != 0) {
            throw new ProtocolException(BAD_BITMAP, 1, off + 2 - origin, "secondary bitmap: fields 65..128 are not part of this format");
        }
        int[] loc = new int[Long.bitCount(bitmap)];
        int slot = 0;
        int p = off + MTI_AND_BITMAP;
        int macEnd = end;
        long bits = bitmap;
        while (bits != 0) {
            int field = Long.numberOfLeadingZeros(bits) + 1;
            bits &= ~IsoMessage.bit(field);
            FieldSpec spec = FieldSpecs.at(field);
            int n;
            switch (spec.prefix()) {
                case FIXED -> n = spec.length();
                case LL -> {
                    if (p + 1 > end) {
                        throw new ProtocolException(TRUNCATED, field, p - origin, "LL prefix missing");
                    }
                    n = Bcd.byteValue(buf[p]);
                    if (n < 0) {
                        throw new ProtocolException(BAD_LENGTH_PREFIX, field, p - origin, "LL prefix is not BCD");
                    }
                    p++;
                }
                default -> {
                    if (p + 2 > end) {
                        throw new ProtocolException(TRUNCATED, field, p - origin, "LLL prefix missing");
                    }
                    int hi = Bcd.byteValue(buf[p]);
                    int lo = Bcd.byteValue(buf[p + 1]);
                    if (hi < 0 || hi > 9 || lo < 0) {
                        throw new ProtocolException(BAD_LENGTH_PREFIX, field, p - origin, "LLL prefix is not 3 BCD digits");
                    }
                    n = hi * 100 + lo;
                    p += 2;
                }
            }
            if (n > spec.acceptedMax()) {
                throw new ProtocolException(BAD_LENGTH_PREFIX, field, p - origin, "length " + n + " over " + spec.acceptedMax());
            }
            int bytes = spec.type().bytesFor(n);
            if (bytes > end - p) {
                throw new ProtocolException(TRUNCATED, field, p - origin, "needs " + bytes + " bytes, " + (end - p) + " left");
            }
            if (spec.type() == FieldType.N) {
                checkNibbles(buf, p, n, spec, origin);
            }
            if (field == 64) {
                macEnd = p;
            }
            loc[slot++] = IsoMessage.slotValue(p - off, n);
            p += bytes;
        }
        if (p != end) {
            throw new ProtocolException(TRAILING_BYTES, 0, p - origin, (end - p) + " bytes after the last field");
        }
        return new IsoMessage(mti, bitmap, buf, off, loc, off, macEnd, len);
    }

    /** Bytes whose two nibbles are both decimal digits. */
    private static final boolean[] BCD_BYTE = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            BCD_BYTE[b] = (b >>> 4) <= 9 && (b & 0xF) <= 9;
        }
    }

    /**
     * Content nibbles of n fields must be digits; the pad nibble of an odd count may be 0 or F, because
     * terminals in the field use both. z fields are not checked: a track encrypted with the TDK carries
     * any nibble. Checked a byte at a time through a table: this is the decoder's inner loop.
     */
    private static void checkNibbles(byte[] buf, int p, int n, FieldSpec spec, int origin) {
        int bytes = (n + 1) >>> 1;
        int from = p;
        int to = p + bytes;
        if ((n & 1) == 1) {
            boolean right = spec.alignment() == Alignment.RIGHT;
            int edge = right ? p : to - 1;
            int b = buf[edge] & 0xFF;
            int pad = right ? b >>> 4 : b & 0xF;
            int digit = right ? b & 0xF : b >>> 4;
            if ((pad != 0 && pad != 0xF) || digit > 9) {
                throw badNibble(spec, edge, origin);
            }
            if (right) {
                from++;
            } else {
                to--;
            }
        }
        for (int i = from; i < to; i++) {
            if (!BCD_BYTE[buf[i] & 0xFF]) {
                throw badNibble(spec, i, origin);
            }
        }
    }

    private static ProtocolException badNibble(FieldSpec spec, int at, int origin) {
        return new ProtocolException(BAD_DIGIT, spec.number(), at - origin, "a nibble that is not a digit in " + spec.format());
    }

    /** Bytes the message takes on the wire. */
    public static int encodedSize(IsoMessage m) {
        return m.wireSize();
    }

    /**
     * Writes the message at {@code out[off]} and returns the offset after it. With a signer and field 64
     * present, field 64 is computed over what was written before it.
     */
    public static int encode(IsoMessage m, MacSigner signer, byte[] out, int off) {
        int p = off;
        int mti = m.mti();
        out[p++] = (byte) (((mti / 1000) << 4) | ((mti / 100) % 10));
        out[p++] = (byte) ((((mti / 10) % 10) << 4) | (mti % 10));
        long bitmap = m.bitmap();
        LONG_BE.set(out, p, bitmap);
        p += 8;
        byte[] data = m.data();
        long bits = bitmap;
        int slot = 0;
        int base = m.base();
        while (bits != 0) {
            int f = Long.numberOfLeadingZeros(bits) + 1;
            bits &= ~IsoMessage.bit(f);
            FieldSpec spec = FieldSpecs.at(f);
            int v = m.slotAt(slot++);
            int n = v & 0x3FF;
            if (spec.prefix() == Prefix.LL) {
                out[p++] = (byte) (((n / 10) << 4) | (n % 10));
            } else if (spec.prefix() == Prefix.LLL) {
                out[p++] = (byte) (n / 100);
                out[p++] = (byte) ((((n / 10) % 10) << 4) | (n % 10));
            }
            if (f == 64 && signer != null) {
                signer.mac(out, off, p - off, out, p);
                p += 8;
                continue;
            }
            int bytes = spec.type().bytesFor(n);
            System.arraycopy(data, base + (v >>> 10), out, p, bytes);
            p += bytes;
        }
        return p;
    }

    public static byte[] encode(IsoMessage m) {
        return encode(m, null);
    }

    public static byte[] encode(IsoMessage m, MacSigner signer) {
        byte[] out = new byte[encodedSize(m)];
        encode(m, signer, out, 0);
        return out;
    }

    /** MTI through the end of field 63: the MAC input. */
    static byte[] encodeWithoutMac(IsoMessage m) {
        byte[] all = encode(m);
        return java.util.Arrays.copyOf(all, m.has(64) ? all.length - 8 : all.length);
    }
}
