package org.posfleet.crypto;

import java.security.MessageDigest;
import java.util.Arrays;

/** Key check value: the leading bytes of the key encrypting one all-zero block. */
public final class KeyCheckValue {

    private KeyCheckValue() {
    }

    /** The first {@code length} bytes of E(key, zero block). */
    public static byte[] of(CipherSuite suite, byte[] key, int length) {
        byte[] zero = new byte[suite.blockSize()];
        byte[] out = new byte[suite.blockSize()];
        suite.engine(key, true).processBlock(zero, 0, out, 0);
        return Arrays.copyOf(out, length);
    }

    /** Constant-time comparison of an expected check value with the one computed for {@code key}. */
    public static boolean matches(CipherSuite suite, byte[] key, byte[] expected) {
        return expected != null && expected.length > 0 && expected.length <= suite.blockSize()
                && MessageDigest.isEqual(of(suite, key, expected.length), expected);
    }
}
