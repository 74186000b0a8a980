package org.posfleet.protocol.iso;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An ISO 8583 message: MTI, primary bitmap and fields 2..64, immutable.
 *
 * <p>Field contents are kept exactly as they travel (packed BCD, ASCII or binary, without the length
 * prefix) in one byte array, located by offset and length. A decoded message is a flyweight over the frame
 * it came from, so decoding copies nothing; accessors turn a field into a String or a long on demand.
 * Equality is by MTI and field contents, never by where the bytes live.
 */
public final class IsoMessage {

    static final long FIELD_1 = 1L << 63;

    private final int mti;
    private final long bitmap;
    private final byte[] data;
    /**
     * One slot per present field, in field order: offset from {@code base} shifted left by 10, or'd with the
     * logical length (at most 999). Compact on purpose: a decode allocates this and the message, nothing else.
     */
    private final int[] loc;
    private final int base;
    /** MAC input range in {@code data} when decoded from the wire (MTI .. end of field 63), else -1. */
    private final int macStart;
    private final int macEnd;
    /** Bytes on the wire, known at decode or build time so encoding needs no sizing pass. */
    private final int wireSize;

    IsoMessage(int mti, long bitmap, byte[] data, int base, int[] loc, int macStart, int macEnd, int wireSize) {
        this.mti = mti;
        this.bitmap = bitmap;
        this.data = data;
        this.base = base;
        this.loc = loc;
        this.macStart = macStart;
        this.macEnd = macEnd;
        this.wireSize = wireSize;
    }

    int wireSize() {
        return wireSize;
    }

    static int slotValue(int relativeOffset, int length) {
        return (relativeOffset << 10) | length;
    }

    public static Builder builder(int mti) {
        return new Builder(mti);
    }

    /** MTI as a number: 200 for 0200. */
    public int mti() {
        return mti;
    }

    /** MTI as its four digits, e.g. "0210". */
    public String mtiString() {
        return Digits.padded(mti, 4);
    }

    /** The primary bitmap; bit 63 is field 1, bit 0 is field 64. */
    public long bitmap() {
        return bitmap;
    }

    public boolean has(int field) {
        return field >= 2 && field <= 64 && (bitmap & bit(field)) != 0;
    }

    /** Logical length: digits for n/z, bytes otherwise; 0 when absent. */
    public int length(int field) {
        return has(field) ? lengthOf(field) : 0;
    }

    /**
     * The field as text: digits for n (D for the track separator in z), ASCII for an/ans, upper-case hex
     * for b. Null when absent.
     */
    public String string(int field) {
        if (!has(field)) {
            return null;
        }
        FieldSpec spec = FieldSpecs.at(field);
        return switch (spec.type()) {
            case N, Z -> Bcd.unpack(data, offsetOf(field), lengthOf(field), spec.alignment());
            case B -> Bcd.hex(data, offsetOf(field), lengthOf(field));
            case AN, ANS -> new String(data, offsetOf(field), lengthOf(field), StandardCharsets.ISO_8859_1);
        };
    }

    /** An n field of up to 18 digits as a number, without allocating. */
    public long number(int field) {
        FieldSpec spec = FieldSpecs.get(field);
        if (spec.type() != FieldType.N) {
            throw new IllegalArgumentException("field " + field + " is not numeric");
        }
        if (!has(field)) {
            throw new IllegalArgumentException("field " + field + " is absent");
        }
        return Bcd.toLong(data, offsetOf(field), lengthOf(field), spec.alignment());
    }

    /** A copy of the field's bytes as they travel (packed BCD for n/z), or null when absent. */
    public byte[] bytes(int field) {
        if (!has(field)) {
            return null;
        }
        int from = offsetOf(field);
        return Arrays.copyOfRange(data, from, from + FieldSpecs.at(field).type().bytesFor(lengthOf(field)));
    }

    /** True when field 64 equals the MAC the signer computes over this message's MAC input. */
    public boolean macMatches(MacSigner signer) {
        if (!has(64)) {
            return false;
        }
        byte[] expected = new byte[8];
        if (macStart >= 0) {
            signer.mac(data, macStart, macEnd - macStart, expected, 0);
        } else {
            byte[] wire = IsoCodec.encodeWithoutMac(this);
            signer.mac(wire, 0, wire.length, expected, 0);
        }
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(data, offsetOf(64), offsetOf(64) + 8));
    }

    /**
     * Feeds {@code digest} the message without its MAC, as it travelled when decoded (as it encodes when built): the
     * MTI, the bitmap with field 64's bit cleared, fields 2..63. What makes a repeat a repeat, hashed without a copy.
     */
    public void updateWithoutMac(MessageDigest digest) {
        if (macStart >= 0) {
            digest.update(data, macStart, 9); // the MTI and the bitmap's first seven bytes
            digest.update((byte) (data[macStart + 9] & ~0x01)); // its last: field 64 is bit 0
            digest.update(data, macStart + 10, macEnd - macStart - 10);
        } else {
            byte[] wire = IsoCodec.encodeWithoutMac(this);
            wire[9] &= ~0x01;
            digest.update(wire);
        }
    }

    /** A builder for another message with this one's fields, e.g. for a reply or a reversal. */
    public Builder toBuilder(int newMti) {
        Builder b = new Builder(newMti);
        for (int f = 2; f <= 64; f++) {
            if (has(f)) {
                b.copy(this, f);
            }
        }
        return b;
    }

    static long bit(int field) {
        return 1L << (64 - field);
    }

    // package-private access for the codec and the builder
    byte[] data() {
        return data;
    }

    /** Index of a present field's slot: how many present fields come before it. */
    private int slot(int field) {
        return Long.bitCount(bitmap & -(bit(field) << 1));
    }

    /** Slot {@code i} (the i-th present field in field order): relative offset << 10 | length. */
    int slotAt(int i) {
        return loc[i];
    }

    int base() {
        return base;
    }

    int offsetOf(int field) {
        return base + (loc[slot(field)] >>> 10);
    }

    int lengthOf(int field) {
        return loc[slot(field)] & 0x3FF;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof IsoMessage other) || other.mti != mti || other.bitmap != bitmap) {
            return false;
        }
        for (int f = 2; f <= 64; f++) {
            if (has(f)) {
                int n = lengthOf(f);
                if (other.lengthOf(f) != n) {
                    return false;
                }
                int bytes = FieldSpecs.at(f).type().bytesFor(n);
                int a = offsetOf(f);
                int b = other.offsetOf(f);
                if (!Arrays.equals(data, a, a + bytes, other.data, b, b + bytes)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * mti + Long.hashCode(bitmap);
        for (int f = 2; f <= 64; f++) {
            if (has(f)) {
                int bytes = FieldSpecs.at(f).type().bytesFor(lengthOf(f));
                int from = offsetOf(f);
                for (int i = 0; i < bytes; i++) {
                    h = 31 * h + data[from + i];
                }
            }
        }
        return h;
    }

    /** Field values; b fields as hex. Field 52 and the tracks are masked: this string reaches logs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(mtiString());
        for (int f = 2; f <= 64; f++) {
            if (has(f)) {
                sb.append(' ').append(f).append('=');
                sb.append(f == 2 || f == 35 || f == 36 || f == 45 || f == 52 ? "*" + lengthOf(f) : string(f));
            }
        }
        return sb.toString();
    }

    /**
     * Collects field values, packing each as it will travel. Throws IllegalArgumentException for values the
     * spec does not allow: that is a programming error on our side, not a protocol error.
     */
    public static final class Builder {
        private final int mti;
        private long bitmap;
        private byte[] buf = new byte[256];
        private int pos;
        private final int[] offset = new int[65];
        private final int[] length = new int[65];

        Builder(int mti) {
            if (mti < 0 || mti > 9999) {
                throw new IllegalArgumentException("MTI " + mti);
            }
            this.mti = mti;
        }

        /** Sets an n, z, an or ans field from text. Fixed n fields shorter than the spec are zero-filled left. */
        public Builder set(int field, CharSequence value) {
            FieldSpec spec = FieldSpecs.get(field);
            switch (spec.type()) {
                case N, Z -> {
                    CharSequence digits = value;
                    if (spec.fixed() && spec.type() == FieldType.N && value.length() < spec.length()) {
                        digits = "0".repeat(spec.length() - value.length()) + value;
                    }
                    int n = checkLength(spec, digits.length());
                    Bcd.pack(digits, spec.type(), spec.alignment(), reserve(field, n, (n + 1) >>> 1), offset[field]);
                }
                case AN, ANS -> {
                    String s = value.toString();
                    if (spec.fixed() && s.length() < spec.length()) {
                        s = s + " ".repeat(spec.length() - s.length()); // an/ans: left aligned, space padded
                    }
                    byte[] ascii = s.getBytes(StandardCharsets.ISO_8859_1);
                    int n = checkLength(spec, ascii.length);
                    System.arraycopy(ascii, 0, reserve(field, n, n), offset[field], n);
                }
                case B -> throw new IllegalArgumentException("field " + field + " is binary: set it from bytes");
            }
            return this;
        }

        /** Sets a fixed n field from a number, zero-filled to the spec's length. */
        public Builder set(int field, long value) {
            FieldSpec spec = FieldSpecs.get(field);
            if (spec.type() != FieldType.N || !spec.fixed() || value < 0) {
                throw new IllegalArgumentException("field " + field + " is not a fixed numeric field, or value is negative");
            }
            String s = Long.toString(value);
            if (s.length() > spec.length()) {
                throw new IllegalArgumentException(value + " does not fit field " + field);
            }
            return set(field, s);
        }

        /** Sets a field from the bytes as they travel: binary for b, ASCII for an/ans, packed for n/z. */
        public Builder set(int field, byte[] value) {
            FieldSpec spec = FieldSpecs.get(field);
            if (spec.type().packed()) {
                throw new IllegalArgumentException("field " + field + " is numeric: set it from digits");
            }
            int n = checkLength(spec, value.length);
            System.arraycopy(value, 0, reserve(field, n, n), offset[field], n);
            return this;
        }

        /** Copies a field from another message, as it is. */
        public Builder copy(IsoMessage from, int field) {
            if (!from.has(field)) {
                return this;
            }
            int n = from.lengthOf(field);
            int bytes = FieldSpecs.at(field).type().bytesFor(n);
            System.arraycopy(from.data(), from.offsetOf(field), reserve(field, n, bytes), offset[field], bytes);
            return this;
        }

        /** Copies several fields from another message, as they are. */
        public Builder copy(IsoMessage from, int... fields) {
            for (int f : fields) {
                copy(from, f);
            }
            return this;
        }

        public Builder remove(int field) {
            bitmap &= ~bit(FieldSpecs.get(field).number());
            return this;
        }

        /** Announces field 64; the codec fills it with the MAC when it encodes with a signer. */
        public Builder withMac() {
            reserve(64, 8, 8);
            return this;
        }

        public IsoMessage build() {
            int[] loc = new int[Long.bitCount(bitmap)];
            int i = 0;
            int size = IsoCodec.MTI_AND_BITMAP;
            for (int f = 2; f <= 64; f++) {
                if ((bitmap & bit(f)) != 0) {
                    loc[i++] = slotValue(offset[f], length[f]);
                    FieldSpec spec = FieldSpecs.at(f);
                    size += spec.prefix().bytes() + spec.type().bytesFor(length[f]);
                }
            }
            return new IsoMessage(mti, bitmap, Arrays.copyOf(buf, pos), 0, loc, -1, -1, size);
        }

        private static int checkLength(FieldSpec spec, int n) {
            if (spec.fixed() ? n != spec.length() : n > spec.acceptedMax()) {
                throw new IllegalArgumentException("field " + spec.number() + " (" + spec.format() + ") cannot hold length " + n);
            }
            return n;
        }

        private byte[] reserve(int field, int logicalLength, int bytes) {
            if (pos + bytes > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + bytes));
            }
            offset[field] = pos;
            length[field] = logicalLength;
            bitmap |= bit(field);
            pos += bytes;
            return buf;
        }
    }
}
