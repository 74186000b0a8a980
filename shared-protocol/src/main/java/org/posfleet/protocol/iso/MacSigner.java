package org.posfleet.protocol.iso;

/**
 * Computes the 8-byte field-64 value over a message's MAC input (MTI through the end of field 63).
 * The crypto package provides the POS ECB MAC and the X9.19 MAC; the codec only knows this shape.
 */
@FunctionalInterface
public interface MacSigner {
    void mac(byte[] in, int off, int len, byte[] out, int outOff);
}
