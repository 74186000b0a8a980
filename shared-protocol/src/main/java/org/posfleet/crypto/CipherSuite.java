package org.posfleet.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The block ciphers terminal keys use: TDES (single, double or triple length DES keys) and SM4.
 * BouncyCastle's lightweight engines are used directly: no provider lookup on the hot path.
 */
public enum CipherSuite {
    /** DES with an 8-byte key, TDES (EDE) with a 16- or 24-byte key. */
    TDES(8),
    /** SM4 (GB/T 32907), 16-byte key and block. */
    SM4(16);

    private final int blockSize;

    CipherSuite(int blockSize) {
        this.blockSize = blockSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /** A cipher engine keyed for encryption or decryption. Not thread-safe; cheap enough to make per use. */
    public BlockCipher engine(byte[] key, boolean encrypt) {
        BlockCipher engine = switch (this) {
            case TDES -> switch (key.length) {
                case 8 -> new DESEngine();
                case 16, 24 -> new DESedeEngine();
                default -> throw new CryptoException("TDES keys are 8, 16 or 24 bytes, not " + key.length);
            };
            case SM4 -> {
                if (key.length != 16) {
                    throw new CryptoException("SM4 keys are 16 bytes, not " + key.length);
                }
                yield new SM4Engine();
            }
        };
        engine.init(encrypt, new KeyParameter(key));
        return engine;
    }

    /** ECB over whole blocks; {@code data} must be a multiple of the block size. */
    public byte[] encryptEcb(byte[] key, byte[] data) {
        return ecb(key, data, true);
    }

    public byte[] decryptEcb(byte[] key, byte[] data) {
        return ecb(key, data, false);
    }

    private byte[] ecb(byte[] key, byte[] data, boolean encrypt) {
        if (data.length % blockSize != 0) {
            throw new CryptoException(name() + " ECB needs whole " + blockSize + "-byte blocks, got " + data.length + " bytes");
        }
        BlockCipher engine = engine(key, encrypt);
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += blockSize) {
            engine.processBlock(data, i, out, i);
        }
        return out;
    }

    /** The suite for a key algorithm code as this project writes it (53.2, TMK download DF06). */
    public static CipherSuite forSecurityAlgorithm(int code) {
        return code == org.posfleet.protocol.field.SecurityControl.ALGORITHM_SM4 ? SM4 : TDES;
    }

    /** Zeroes key material we hold; BouncyCastle's own key schedules are out of our reach. */
    public static void wipe(byte[]... keys) {
        for (byte[] k : keys) {
            if (k != null) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }
}
