package org.posfleet.crypto;

import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.ISO9797Alg3Mac;
import org.bouncycastle.crypto.paddings.ISO7816d4Padding;
import org.bouncycastle.crypto.params.KeyParameter;
import org.posfleet.protocol.iso.MacSigner;

/**
 * ISO/IEC 9797-1 MAC algorithm 3 (ANSI X9.19 retail MAC) with a double-length key, and ANSI X9.9 single-DES
 * CBC-MAC. Normally the host-to-switch MAC; some hosts use X9.19 on the terminal link too.
 */
public final class RetailMac implements MacSigner {

    /** ISO 9797-1 padding methods. */
    public enum Padding {
        /** Method 1: zero bytes up to a whole block (none when already whole). */
        ZEROS,
        /** Method 2: 0x80 then zero bytes. */
        ISO_7816
    }

    private final byte[] key;
    private final Padding padding;

    /** @param key a 16-byte TDES key (K1 || K2) */
    public RetailMac(byte[] key, Padding padding) {
        if (key.length != 16) {
            throw new CryptoException("X9.19 needs a 16-byte key, not " + key.length);
        }
        this.key = key.clone();
        this.padding = padding;
    }

    /** X9.19 MAC of {@code data}: 8 bytes. */
    public static byte[] x919(byte[] key, byte[] data, Padding padding) {
        byte[] out = new byte[8];
        new RetailMac(key, padding).mac(data, 0, data.length, out, 0);
        return out;
    }

    /** X9.9 single-DES CBC-MAC of {@code data}, zero padded: 8 bytes. */
    public static byte[] x99(byte[] key, byte[] data) {
        if (key.length != 8) {
            throw new CryptoException("X9.9 needs an 8-byte key");
        }
        Mac mac = new CBCBlockCipherMac(new DESEngine(), 64);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[8];
        mac.doFinal(out, 0);
        return out;
    }

    @Override
    public void mac(byte[] in, int off, int len, byte[] out, int outOff) {
        Mac mac = padding == Padding.ZEROS
                ? new ISO9797Alg3Mac(new DESEngine(), 64)
                : new ISO9797Alg3Mac(new DESEngine(), 64, new ISO7816d4Padding());
        mac.init(new KeyParameter(key));
        mac.update(in, off, len);
        mac.doFinal(out, outOff);
    }
}
