package org.posfleet.protocol.iso;

/** ISO 8583 attribute classes as this wire format encodes them. */
public enum FieldType {
    /** Numeric digits, packed BCD, two per byte. */
    N(true),
    /** Track data: digits and the separator nibble D, packed two per byte. */
    Z(true),
    /** Binary bytes. */
    B(false),
    /** Alphanumeric ASCII. */
    AN(false),
    /** Alphanumeric and special ASCII. */
    ANS(false);

    private final boolean nibbles;

    FieldType(boolean nibbles) {
        this.nibbles = nibbles;
    }

    /** True for n and z: the length counts digits and the content is packed two per byte. */
    public boolean packed() {
        return nibbles;
    }

    /** Bytes on the wire for a content of {@code length} units (digits or bytes). */
    public int bytesFor(int length) {
        return nibbles ? (length + 1) >>> 1 : length;
    }
}
