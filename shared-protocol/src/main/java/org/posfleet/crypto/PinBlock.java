package org.posfleet.crypto;

import java.util.Arrays;

/**
 * ISO 9564-1 format 0 PIN blocks, and the credential blocks this project builds the same way for operator
 * and supervisor (void) passwords.
 * <pre>
 *   PIN field: 0 | PIN length | PIN digits | F padding        (16 nibbles)
 *   PAN field: 0000 | 12 rightmost PAN digits without the check digit
 *   block    = PIN field XOR PAN field
 * </pre>
 * A credential block uses a PAN field of zeros. Under SM4 the 8-byte block is extended to the 16-byte
 * cipher block with eight 0xFF bytes before encryption (docs/protocol.md).
 */
public final class PinBlock {

    private PinBlock() {
    }

    /** The clear format 0 block for a PIN of 4..12 digits and a PAN of at least 13 digits. */
    public static byte[] format0(String pin, String pan) {
        byte[] block = pinField(pin);
        byte[] panField = panField(pan);
        for (int i = 0; i < 8; i++) {
            block[i] ^= panField[i];
        }
        CipherSuite.wipe(panField);
        return block;
    }

    /** The clear credential block for a password of 4..12 digits (format 0 with a zero PAN field). */
    public static byte[] credential(String digits) {
        return pinField(digits);
    }

    /** Recovers the PIN from a clear format 0 block; throws when the block is malformed (the host answers 99). */
    public static String decodeFormat0(byte[] block, String pan) {
        if (block.length != 8) {
            throw new CryptoException("PIN block is 8 bytes");
        }
        byte[] field = block.clone();
        byte[] panField = pan == null ? new byte[8] : panField(pan);
        for (int i = 0; i < 8; i++) {
            field[i] ^= panField[i];
        }
        try {
            int control = (field[0] >>> 4) & 0xF;
            int n = field[0] & 0xF;
            if (control != 0 || n < 4 || n > 12) {
                throw new CryptoException("PIN block is not format 0");
            }
            char[] pin = new char[n];
            for (int i = 0; i < 14; i++) {
                int nibble = nibble(field, i + 2);
                if (i < n) {
                    if (nibble > 9) {
                        throw new CryptoException("PIN block has a non-digit PIN nibble");
                    }
                    pin[i] = (char) ('0' + nibble);
                } else if (nibble != 0xF) {
                    throw new CryptoException("PIN block padding is not F");
                }
            }
            return new String(pin);
        } finally {
            CipherSuite.wipe(field, panField);
        }
    }

    /** Recovers a password from a clear credential block. */
    public static String decodeCredential(byte[] block) {
        return decodeFormat0(block, null);
    }

    /** Encrypts a clear 8-byte block under the PIK (or TMK for credentials): 8 bytes for TDES, 16 for SM4. */
    public static byte[] encrypt(CipherSuite suite, byte[] key, byte[] clearBlock) {
        return new Encryptor(suite, key).encrypt(clearBlock);
    }

    /** Decrypts to the clear 8-byte block; the SM4 extension must be eight 0xFF bytes. */
    public static byte[] decrypt(CipherSuite suite, byte[] key, byte[] encrypted) {
        return new Decryptor(suite, key).decrypt(encrypted);
    }

    /**
     * A terminal's PIK held as a keyed engine for the many blocks it encrypts in one session (PINs, the supervisor's
     * password): the key schedule is made once, not per block (a fresh one per block was a quarter of the
     * simulator's Java samples). Not thread-safe.
     */
    public static final class Encryptor {
        private final CipherSuite suite;
        private final org.bouncycastle.crypto.BlockCipher engine;

        /** The caller keeps (and wipes) {@code key}: the engine holds its own schedule. */
        public Encryptor(CipherSuite suite, byte[] key) {
            this.suite = suite;
            this.engine = suite.engine(key, true);
        }

        /** As {@link PinBlock#encrypt}. */
        public byte[] encrypt(byte[] clearBlock) {
            if (clearBlock == null || clearBlock.length != 8) {
                throw new CryptoException("clear PIN block must be 8 bytes");
            }
            byte[] in = suite == CipherSuite.SM4 ? extend(clearBlock) : clearBlock.clone();
            byte[] out = new byte[suite.blockSize()];
            try {
                engine.processBlock(in, 0, out, 0);
                return out;
            } finally {
                CipherSuite.wipe(in);
            }
        }
    }

    /**
     * A key (a session's PIK) held as a keyed engine, for the many blocks of one session: the key schedule is
     * made once, not per block. Not thread-safe.
     */
    public static final class Decryptor {
        private final CipherSuite suite;
        private final org.bouncycastle.crypto.BlockCipher engine;

        /** The caller keeps (and wipes) {@code key}: the engine holds its own schedule. */
        public Decryptor(CipherSuite suite, byte[] key) {
            this.suite = suite;
            this.engine = suite.engine(key, false);
        }

        /** Decrypts to the clear 8-byte block; the SM4 extension must be eight 0xFF bytes. */
        public byte[] decrypt(byte[] encrypted) {
            if (encrypted == null || encrypted.length != suite.blockSize()) {
                throw new CryptoException("encrypted PIN block must be " + suite.blockSize() + " bytes");
            }
            byte[] clear = new byte[suite.blockSize()];
            engine.processBlock(encrypted, 0, clear, 0);
            if (suite == CipherSuite.SM4) {
                for (int i = 8; i < 16; i++) {
                    if (clear[i] != (byte) 0xFF) {
                        CipherSuite.wipe(clear);
                        throw new CryptoException("SM4 PIN block extension is not FF");
                    }
                }
                byte[] block = Arrays.copyOf(clear, 8);
                CipherSuite.wipe(clear);
                return block;
            }
            return clear;
        }
    }

    private static byte[] extend(byte[] block8) {
        byte[] b = Arrays.copyOf(block8, 16);
        Arrays.fill(b, 8, 16, (byte) 0xFF);
        return b;
    }

    private static byte[] pinField(String pin) {
        int n = pin.length();
        if (n < 4 || n > 12 || !pin.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CryptoException("a PIN or password is 4 to 12 digits");
        }
        byte[] f = new byte[8];
        Arrays.fill(f, (byte) 0xFF);
        f[0] = (byte) n;
        for (int i = 0; i < n; i++) {
            setNibble(f, i + 2, pin.charAt(i) - '0');
        }
        return f;
    }

    private static byte[] panField(String pan) {
        if (pan == null || pan.length() < 13 || !pan.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new CryptoException("PAN must be at least 13 digits");
        }
        String twelve = pan.substring(pan.length() - 13, pan.length() - 1);
        byte[] f = new byte[8];
        for (int i = 0; i < 12; i++) {
            setNibble(f, i + 4, twelve.charAt(i) - '0');
        }
        return f;
    }

    private static int nibble(byte[] b, int i) {
        return (i & 1) == 0 ? (b[i >>> 1] >>> 4) & 0xF : b[i >>> 1] & 0xF;
    }

    private static void setNibble(byte[] b, int i, int v) {
        int idx = i >>> 1;
        b[idx] = (byte) ((i & 1) == 0 ? (b[idx] & 0x0F) | (v << 4) : (b[idx] & 0xF0) | v);
    }
}
