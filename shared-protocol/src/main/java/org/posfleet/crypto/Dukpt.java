package org.posfleet.crypto;

import java.util.Arrays;

/**
 * TDES DUKPT (ANSI X9.24-1:2009): the initial key from a base derivation key, the current transaction key
 * for a KSN, and the PIN-encryption variant. For terminals that use derived keys instead of a TMK.
 */
public final class Dukpt {

    private static final byte[] KEY_MASK = hex("C0C0C0C000000000C0C0C0C000000000");
    private static final byte[] PIN_VARIANT = hex("00000000000000FF00000000000000FF");
    private static final int COUNTER_BITS = 21;

    private Dukpt() {
    }

    /** IPEK from a 16-byte BDK and a 10-byte KSN (the counter is ignored). */
    public static byte[] initialKey(byte[] bdk, byte[] ksn) {
        checkKsn(ksn);
        byte[] base = Arrays.copyOf(ksn, 8);
        base[7] &= (byte) 0xE0;
        byte[] left = CipherSuite.TDES.encryptEcb(bdk, base);
        byte[] masked = xor(bdk, KEY_MASK);
        byte[] right = CipherSuite.TDES.encryptEcb(masked, base);
        CipherSuite.wipe(masked);
        byte[] ipek = concat(left, right);
        CipherSuite.wipe(left, right);
        return ipek;
    }

    /** The current transaction key for the KSN's counter, from the IPEK. */
    public static byte[] currentKey(byte[] ipek, byte[] ksn) {
        checkKsn(ksn);
        long register = 0;
        for (int i = 2; i < 10; i++) {
            register = (register << 8) | (ksn[i] & 0xFF);
        }
        int counter = (int) (register & ((1 << COUNTER_BITS) - 1));
        register &= ~((1L << COUNTER_BITS) - 1);
        byte[] key = ipek.clone();
        for (int bit = 1 << (COUNTER_BITS - 1); bit != 0; bit >>>= 1) {
            if ((counter & bit) != 0) {
                register |= bit;
                byte[] next = nonReversible(key, register);
                CipherSuite.wipe(key);
                key = next;
            }
        }
        return key;
    }

    /** The PIN-encryption key: the current key with the PIN variant applied. */
    public static byte[] pinKey(byte[] currentKey) {
        return xor(currentKey, PIN_VARIANT);
    }

    private static byte[] nonReversible(byte[] key, long register) {
        byte[] right = half(key, register);
        byte[] masked = xor(key, KEY_MASK);
        byte[] left = half(masked, register);
        CipherSuite.wipe(masked);
        return concat(left, right);
    }

    /** (R XOR key right) encrypted with key left under single DES, XOR key right. */
    private static byte[] half(byte[] key, long register) {
        byte[] r = new byte[8];
        for (int i = 0; i < 8; i++) {
            r[i] = (byte) ((register >>> (56 - 8 * i)) ^ key[8 + i]);
        }
        byte[] out = CipherSuite.TDES.encryptEcb(Arrays.copyOf(key, 8), r);
        for (int i = 0; i < 8; i++) {
            out[i] ^= key[8 + i];
        }
        return out;
    }

    private static void checkKsn(byte[] ksn) {
        if (ksn.length != 10) {
            throw new CryptoException("KSN is 10 bytes");
        }
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        return org.posfleet.protocol.iso.Bcd.fromHex(s);
    }
}
