package org.posfleet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CBCBlockCipherMac;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.posfleet.protocol.iso.Bcd;

/**
 * ASC X9 TR-31 key blocks: how the host stores every terminal key, wrapped under its key block protection
 * key (KBPK, derived from the LMK). Versions:
 * <ul>
 *   <li>A: TDES KBPK, key variant binding (encryption key = KBPK XOR 45, MAC key = KBPK XOR 4D), TDES-CBC with
 *       the header's first 8 bytes as IV, 4-byte TDES CBC-MAC over header and ciphertext. Unwrap only is
 *       recommended; wrap exists for tests and old peers.</li>
 *   <li>B: TDES KBPK, keys derived by TDES-CMAC (SP 800-108 counter mode), 8-byte CMAC over header and clear
 *       key data, TDES-CBC with the MAC as IV.</li>
 *   <li>D: AES KBPK, the same as B with AES-CMAC and 16-byte blocks.</li>
 * </ul>
 * <pre>
 *   header (16 ASCII) | optional blocks | hex(encrypted: key length in bits (2) | key | random pad) | hex(MAC)
 * </pre>
 */
public final class Tr31KeyBlock {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HEADER = 16;

    private Tr31KeyBlock() {
    }

    /**
     * The fixed header fields.
     *
     * @param version       'A', 'B' or 'D'
     * @param keyUsage      two characters, e.g. "P0" PIN encryption, "M3" MAC (X9.19), "K0" key encryption (TMK),
     *                      "D0" data encryption
     * @param algorithm     'T' TDES, 'A' AES, or a project code for SM4 (docs/protocol.md)
     * @param modeOfUse     'E' encrypt, 'D' decrypt, 'B' both, 'C' MAC, 'N' none
     * @param keyVersion    two characters, "00" when unused
     * @param exportability 'E' exportable, 'N' not, 'S' sensitive
     */
    public record Header(char version, String keyUsage, char algorithm, char modeOfUse, String keyVersion, char exportability) {
        public Header {
            if ("ABD".indexOf(version) < 0 || keyUsage.length() != 2 || keyVersion.length() != 2) {
                throw new CryptoException("TR-31 header fields out of range");
            }
        }

        String encode(int totalLength) {
            return String.format("%c%04d%s%c%c%s%c0000", version, totalLength, keyUsage, algorithm, modeOfUse, keyVersion, exportability);
        }
    }

    /** An unwrapped key and the header it was bound to. {@link #wipe} when done. */
    public record Unwrapped(Header header, byte[] key) {
        public void wipe() {
            CipherSuite.wipe(key);
        }

        @Override
        public String toString() {
            return "Unwrapped[" + header + ", key hidden]";
        }
    }

    public static String wrap(byte[] kbpk, Header header, byte[] key) {
        int block = header.version() == 'D' ? 16 : 8;
        int macLength = switch (header.version()) {
            case 'A' -> 4;
            case 'B' -> 8;
            default -> 16;
        };
        int clearLength = (2 + key.length + block - 1) / block * block;
        byte[] clear = new byte[clearLength];
        clear[0] = (byte) ((key.length * 8) >>> 8);
        clear[1] = (byte) (key.length * 8);
        System.arraycopy(key, 0, clear, 2, key.length);
        byte[] pad = new byte[clearLength - 2 - key.length];
        RANDOM.nextBytes(pad);
        System.arraycopy(pad, 0, clear, 2 + key.length, pad.length);
        int total = HEADER + 2 * clearLength + 2 * macLength;
        byte[] headerBytes = header.encode(total).getBytes(StandardCharsets.US_ASCII);
        byte[][] keys = bindingKeys(kbpk, header.version());
        try {
            byte[] encrypted;
            byte[] mac;
            if (header.version() == 'A') {
                encrypted = cbc(keys[0], Arrays.copyOf(headerBytes, 8), clear, true, 'A');
                mac = Arrays.copyOf(cbcMac(keys[1], concat(headerBytes, encrypted)), 4);
            } else {
                mac = cmac(keys[1], concat(headerBytes, clear), header.version());
                encrypted = cbc(keys[0], mac, clear, true, header.version());
            }
            return new String(headerBytes, StandardCharsets.US_ASCII) + Bcd.hex(encrypted) + Bcd.hex(mac);
        } finally {
            CipherSuite.wipe(clear);
            CipherSuite.wipe(keys);
        }
    }

    /** Verifies the MAC and returns the key; any mismatch or malformation is a CryptoException. */
    public static Unwrapped unwrap(byte[] kbpk, String keyBlock) {
        if (keyBlock == null || keyBlock.length() < HEADER) {
            throw new CryptoException("TR-31 key block too short");
        }
        char version = keyBlock.charAt(0);
        if ("ABD".indexOf(version) < 0) {
            throw new CryptoException("TR-31 version " + version + " not supported");
        }
        int total;
        int optionalBlocks;
        try {
            total = Integer.parseInt(keyBlock.substring(1, 5));
            optionalBlocks = Integer.parseInt(keyBlock.substring(12, 14));
        } catch (NumberFormatException e) {
            throw new CryptoException("TR-31 header is malformed");
        }
        if (total != keyBlock.length()) {
            throw new CryptoException("TR-31 length field does not match the block");
        }
        int headerEnd = HEADER;
        for (int i = 0; i < optionalBlocks; i++) {
            if (headerEnd + 4 > keyBlock.length()) {
                throw new CryptoException("TR-31 optional block overruns the key block");
            }
            int len;
            try {
                len = Integer.parseInt(keyBlock.substring(headerEnd + 2, headerEnd + 4), 16);
            } catch (NumberFormatException e) {
                throw new CryptoException("TR-31 optional block length is malformed");
            }
            if (len < 4 || headerEnd + len > keyBlock.length()) {
                throw new CryptoException("TR-31 optional block overruns the key block");
            }
            headerEnd += len;
        }
        int block = version == 'D' ? 16 : 8;
        int macHex = switch (version) {
            case 'A' -> 8;
            case 'B' -> 16;
            default -> 32;
        };
        int dataHex = keyBlock.length() - headerEnd - macHex;
        if (dataHex <= 0 || dataHex % (2 * block) != 0) {
            throw new CryptoException("TR-31 encrypted key data is not whole blocks");
        }
        byte[] headerBytes = keyBlock.substring(0, headerEnd).getBytes(StandardCharsets.US_ASCII);
        byte[] encrypted;
        byte[] mac;
        try {
            encrypted = Bcd.fromHex(keyBlock.substring(headerEnd, headerEnd + dataHex));
            mac = Bcd.fromHex(keyBlock.substring(headerEnd + dataHex));
        } catch (IllegalArgumentException e) {
            throw new CryptoException("TR-31 key data is not hex");
        }
        byte[][] keys = bindingKeys(kbpk, version);
        byte[] clear = null;
        try {
            boolean ok;
            if (version == 'A') {
                ok = MessageDigest.isEqual(Arrays.copyOf(cbcMac(keys[1], concat(headerBytes, encrypted)), 4), mac);
                if (ok) {
                    clear = cbc(keys[0], Arrays.copyOf(headerBytes, 8), encrypted, false, 'A');
                }
            } else {
                clear = cbc(keys[0], mac, encrypted, false, version);
                ok = MessageDigest.isEqual(cmac(keys[1], concat(headerBytes, clear), version), mac);
            }
            if (!ok) {
                throw new CryptoException("TR-31 MAC does not match: wrong KBPK or altered key block");
            }
            int bits = ((clear[0] & 0xFF) << 8) | (clear[1] & 0xFF);
            if (bits % 8 != 0 || bits / 8 > clear.length - 2 || bits == 0) {
                throw new CryptoException("TR-31 key length is malformed");
            }
            String h = keyBlock.substring(0, HEADER);
            Header header = new Header(version, h.substring(5, 7), h.charAt(7), h.charAt(8), h.substring(9, 11), h.charAt(11));
            return new Unwrapped(header, Arrays.copyOfRange(clear, 2, 2 + bits / 8));
        } finally {
            CipherSuite.wipe(clear);
            CipherSuite.wipe(keys);
        }
    }

    /** {encryption key, MAC key} for the version. */
    private static byte[][] bindingKeys(byte[] kbpk, char version) {
        if (version == 'A') {
            checkTdes(kbpk);
            byte[] kbek = kbpk.clone();
            byte[] kbmk = kbpk.clone();
            for (int i = 0; i < kbpk.length; i++) {
                kbek[i] ^= 0x45;
                kbmk[i] ^= 0x4D;
            }
            return new byte[][] {kbek, kbmk};
        }
        if (version == 'B') {
            checkTdes(kbpk);
        } else if (kbpk.length != 16 && kbpk.length != 24 && kbpk.length != 32) {
            throw new CryptoException("TR-31 D needs an AES KBPK");
        }
        return new byte[][] {derive(kbpk, 0x0000, version), derive(kbpk, 0x0001, version)};
    }

    /** SP 800-108 counter mode with CMAC: counter | usage (2) | 00 | algorithm (2) | length in bits (2). */
    private static byte[] derive(byte[] kbpk, int usage, char version) {
        int algorithm;
        if (version == 'B') {
            algorithm = kbpk.length == 16 ? 0x0000 : 0x0001;
        } else {
            algorithm = kbpk.length == 16 ? 0x0002 : kbpk.length == 24 ? 0x0003 : 0x0004;
        }
        int bits = kbpk.length * 8;
        byte[] out = new byte[kbpk.length];
        int block = version == 'D' ? 16 : 8;
        for (int i = 0, counter = 1; i < out.length; i += block, counter++) {
            byte[] input = {(byte) counter, (byte) (usage >>> 8), (byte) usage, 0, (byte) (algorithm >>> 8), (byte) algorithm,
                    (byte) (bits >>> 8), (byte) bits};
            byte[] k = cmac(kbpk, input, version);
            System.arraycopy(k, 0, out, i, Math.min(block, out.length - i));
        }
        return out;
    }

    private static byte[] cmac(byte[] key, byte[] data, char version) {
        Mac mac = new CMac(version == 'D' ? AESEngine.newInstance() : new DESedeEngine());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] cbcMac(byte[] key, byte[] data) {
        Mac mac = new CBCBlockCipherMac(new DESedeEngine(), 64);
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[8];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] cbc(byte[] key, byte[] iv, byte[] data, boolean encrypt, char version) {
        BlockCipher engine = version == 'D' ? AESEngine.newInstance() : new DESedeEngine();
        CBCBlockCipher cbc = (CBCBlockCipher) CBCBlockCipher.newInstance(engine);
        cbc.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += cbc.getBlockSize()) {
            cbc.processBlock(data, i, out, i);
        }
        return out;
    }

    private static void checkTdes(byte[] kbpk) {
        if (kbpk.length != 16 && kbpk.length != 24) {
            throw new CryptoException("TR-31 A and B need a double- or triple-length TDES KBPK");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
