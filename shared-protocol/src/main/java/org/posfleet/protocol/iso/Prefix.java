package org.posfleet.protocol.iso;

/** Length prefix of a field: BCD, counting digits for n/z and bytes for b/an/ans. */
public enum Prefix {
    FIXED(0, 0),
    /** One byte of BCD, up to 99. */
    LL(1, 99),
    /** Two bytes of BCD with a leading zero nibble, up to 999. */
    LLL(2, 999);

    private final int bytes;
    private final int capacity;

    Prefix(int bytes, int capacity) {
        this.bytes = bytes;
        this.capacity = capacity;
    }

    public int bytes() {
        return bytes;
    }

    /** The largest length the prefix can express; the decoder's limit for variable fields. */
    public int capacity() {
        return capacity;
    }
}
