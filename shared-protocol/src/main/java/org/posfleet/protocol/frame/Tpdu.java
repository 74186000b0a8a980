package org.posfleet.protocol.frame;

/**
 * Transport protocol data unit: an id byte (0x60) and two 2-byte NII addresses. Kept as the terminal sent
 * it; a reply swaps destination and source.
 */
public record Tpdu(int id, int destination, int source) {

    public static final int SIZE = 5;
    public static final int STANDARD_ID = 0x60;

    public Tpdu {
        if ((id & ~0xFF) != 0 || (destination & ~0xFFFF) != 0 || (source & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("TPDU parts out of range");
        }
    }

    public static Tpdu of(int destination, int source) {
        return new Tpdu(STANDARD_ID, destination, source);
    }

    /** The TPDU of a reply: destination and source swapped. */
    public Tpdu reply() {
        return new Tpdu(id, source, destination);
    }

    /** Reads a TPDU at {@code b[p]}; any bytes are a TPDU, so this cannot fail once 5 bytes exist. */
    public static Tpdu read(byte[] b, int p) {
        return new Tpdu(b[p] & 0xFF, ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF), ((b[p + 3] & 0xFF) << 8) | (b[p + 4] & 0xFF));
    }

    void write(byte[] b, int p) {
        b[p] = (byte) id;
        b[p + 1] = (byte) (destination >>> 8);
        b[p + 2] = (byte) destination;
        b[p + 3] = (byte) (source >>> 8);
        b[p + 4] = (byte) source;
    }

    @Override
    public String toString() {
        return String.format("%02X%04X%04X", id, destination, source);
    }
}
