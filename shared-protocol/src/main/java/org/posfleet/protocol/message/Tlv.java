package org.posfleet.protocol.message;

import static org.posfleet.protocol.iso.ProtocolException.Reason.BAD_SUBFIELD;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.posfleet.protocol.iso.ProtocolException;

/**
 * The tag-length-value layout this project uses inside field 62 of its own messages (remote TMK download):
 * a 2-byte tag, a 2-byte big-endian length, the value. Parsing never reads past the field.
 */
public final class Tlv {

    private final Map<Integer, byte[]> items = new LinkedHashMap<>();

    public Tlv put(int tag, byte[] value) {
        if ((tag & ~0xFFFF) != 0 || value.length > 0xFFFF) {
            throw new IllegalArgumentException("TLV tag or length out of range");
        }
        items.put(tag, value.clone());
        return this;
    }

    public byte[] get(int tag) {
        byte[] v = items.get(tag);
        return v == null ? null : v.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        items.forEach((tag, v) -> {
            out.write(tag >>> 8);
            out.write(tag);
            out.write(v.length >>> 8);
            out.write(v.length);
            out.writeBytes(v);
        });
        return out.toByteArray();
    }

    /** Parses field {@code field}'s TLV bytes; a malformed item is a typed protocol error. */
    public static Tlv parse(byte[] data, int field) {
        Tlv tlv = new Tlv();
        int p = 0;
        while (p < data.length) {
            if (data.length - p < 4) {
                throw new ProtocolException(BAD_SUBFIELD, field, p, "TLV header truncated");
            }
            int tag = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
            int len = ((data[p + 2] & 0xFF) << 8) | (data[p + 3] & 0xFF);
            p += 4;
            if (len > data.length - p) {
                throw new ProtocolException(BAD_SUBFIELD, field, p, "TLV value of " + len + " bytes overruns the field");
            }
            byte[] v = new byte[len];
            System.arraycopy(data, p, v, 0, len);
            tlv.items.put(tag, v);
            p += len;
        }
        return tlv;
    }
}
