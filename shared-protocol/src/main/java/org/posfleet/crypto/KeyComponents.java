package org.posfleet.crypto;

import java.util.List;

/** Key components held by different custodians: the key is their XOR; no component alone tells anything. */
public final class KeyComponents {

    private KeyComponents() {
    }

    /** XOR of two or more components of {@code length} bytes; the caller wipes the result when done. */
    public static byte[] combine(List<byte[]> components, int length, String what) {
        if (components.size() < 2) {
            throw new CryptoException(what + " is made of at least two components");
        }
        byte[] key = new byte[length];
        for (byte[] c : components) {
            if (c.length != length) {
                throw new CryptoException("a component of " + what + " is " + length + " bytes");
            }
            for (int i = 0; i < length; i++) {
                key[i] ^= c[i];
            }
        }
        return key;
    }
}
