package org.posfleet.crypto;

import org.bouncycastle.crypto.BlockCipher;
import org.posfleet.protocol.iso.MacSigner;

/**
 * The terminal link's "POS ECB MAC" over MTI .. field 63:
 * <ol>
 *   <li>pad with 0x00 to whole blocks and XOR all blocks into one;</li>
 *   <li>hex-expand that block to ASCII (upper case), two blocks long;</li>
 *   <li>encrypt the first half with the MAK, XOR the result with the second half, encrypt again;</li>
 *   <li>hex-expand the result; field 64 = its first 8 characters, as ASCII.</li>
 * </ol>
 * The DES variant uses 8-byte blocks and the MAK as single DES (a 16-byte MAK whose right half is zero,
 * as sign-on 003 delivers it, is the same single-DES key; any other 16-byte MAK is used as TDES). The SM4
 * variant is the same with 16-byte blocks and SM4.
 *
 * <p>An instance holds a keyed engine: not thread-safe, one per session or per use.
 */
public final class PosEcbMac implements MacSigner {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final BlockCipher engine;
    private final int block;
    private final byte[] acc;
    private final byte[] expanded;
    private final byte[] tmp;

    public PosEcbMac(CipherSuite suite, byte[] mak) {
        byte[] key = suite == CipherSuite.TDES ? singleIfRightHalfZero(mak) : mak;
        this.engine = suite.engine(key, true);
        this.block = suite.blockSize();
        this.acc = new byte[block];
        this.expanded = new byte[2 * block];
        this.tmp = new byte[block];
        if (key != mak) {
            CipherSuite.wipe(key);
        }
    }

    private static byte[] singleIfRightHalfZero(byte[] mak) {
        if (mak.length == 16) {
            for (int i = 8; i < 16; i++) {
                if (mak[i] != 0) {
                    return mak;
                }
            }
            return java.util.Arrays.copyOf(mak, 8);
        }
        return mak;
    }

    @Override
    public void mac(byte[] in, int off, int len, byte[] out, int outOff) {
        java.util.Arrays.fill(acc, (byte) 0);
        for (int i = 0; i < len; i++) {
            acc[i & (block - 1)] ^= in[off + i];
        }
        expand(acc, expanded, 0);
        engine.processBlock(expanded, 0, tmp, 0);
        for (int i = 0; i < block; i++) {
            tmp[i] ^= expanded[block + i];
        }
        engine.processBlock(tmp, 0, acc, 0);
        for (int i = 0; i < 4; i++) {
            out[outOff + 2 * i] = HEX[(acc[i] >>> 4) & 0xF];
            out[outOff + 2 * i + 1] = HEX[acc[i] & 0xF];
        }
    }

    /** The 8 ASCII bytes of field 64 for a MAC input. */
    public byte[] mac(byte[] in) {
        byte[] out = new byte[8];
        mac(in, 0, in.length, out, 0);
        return out;
    }

    private void expand(byte[] src, byte[] dst, int dstOff) {
        for (int i = 0; i < block; i++) {
            dst[dstOff + 2 * i] = HEX[(src[i] >>> 4) & 0xF];
            dst[dstOff + 2 * i + 1] = HEX[src[i] & 0xF];
        }
    }
}
