package org.posfleet.host.security;

import java.security.SecureRandom;
import java.util.List;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.CryptoException;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyComponents;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.Tr31KeyBlock;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.MacSigner;

/**
 * The security module in software. The LMK is an AES-256 key (stronger than every key it protects: TDES
 * and SM4) combined by XOR from two or more components given from outside the repository; every terminal
 * key is kept as a TR-31 version D key block under it. Algorithm code 'T' is TDES; TR-31 defines none for
 * SM4, so this project writes 'M'. The PIN verification key is an HMAC key kept as a TR-31 block (usage V0)
 * under the LMK in the database, so that rotating the LMK leaves stored PIN verification values valid.
 *
 * <p>LMK rotation runs while the host serves: {@link #beginLmkRotation} makes new keys go under the new LMK at
 * once and lets every unwrap try the new LMK first, then the current one; the caller re-wraps what is stored and
 * {@link #finishLmkRotation} forgets the old LMK.
 */
public final class SoftwareSecurityModule implements SecurityModule {

    private static final SecureRandom RANDOM = new SecureRandom();
    static final char SM4_ALGORITHM = 'M';

    /** A master key and its check value. */
    private record Lmk(byte[] key, String checkValue) {
        static Lmk of(List<byte[]> components) {
            byte[] k = KeyComponents.combine(components, 32, "the LMK (AES-256)");
            return new Lmk(k, aesCheckValue(k));
        }
    }

    /** Keys are unwrapped under {@code lmk}, or during a rotation under {@code next} first; new keys go under next. */
    private volatile Lmk lmk;
    private volatile Lmk next;
    /** The PIN verification key: installed from its stored block, see {@link #installPvk}. */
    private volatile byte[] pvk;

    /** @param components two or more 32-byte LMK components; they are not kept */
    public SoftwareSecurityModule(List<byte[]> components) {
        this.lmk = Lmk.of(components);
    }

    /** First 3 bytes of AES(key, zero block), hex: the check value of an LMK or LMK component. */
    public static String aesCheckValue(byte[] key) {
        AESEngine aes = new AESEngine();
        aes.init(true, new KeyParameter(key));
        byte[] out = new byte[16];
        aes.processBlock(new byte[16], 0, out, 0);
        return Bcd.hex(out, 0, 3);
    }

    public static byte[] randomComponent() {
        byte[] c = new byte[32];
        RANDOM.nextBytes(c);
        return c;
    }

    @Override
    public String lmkCheckValue() {
        return lmk.checkValue();
    }

    @Override
    public String installPvk(String storedBlock) {
        String block = storedBlock;
        if (block == null) {
            // Databases made before the PVK was stored hold PVVs under this derivation: keep them valid.
            byte[] derived = hmac(lmk.key(), "posfleet PIN verification key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            block = Tr31KeyBlock.wrap(wrappingKey().key(), new Tr31KeyBlock.Header('D', "V0", 'H', 'C', "00", 'N'), derived);
            CipherSuite.wipe(derived);
        }
        Tr31KeyBlock.Unwrapped u = unwrapBlock(block);
        if (!u.header().keyUsage().equals("V0")) {
            u.wipe();
            throw new CryptoException("the stored PIN verification key block is not a V0 key");
        }
        pvk = u.key();
        return block;
    }

    @Override
    public synchronized String beginLmkRotation(List<byte[]> components) {
        Lmk n = Lmk.of(components);
        if (next != null) {
            CipherSuite.wipe(n.key());
            if (n.checkValue().equals(next.checkValue())) {
                return n.checkValue(); // the same rotation again, after its first pass failed
            }
            throw new IllegalStateException("an LMK rotation to check value " + next.checkValue() + " is not finished");
        }
        if (n.checkValue().equals(lmk.checkValue())) {
            CipherSuite.wipe(n.key());
            throw new CryptoException("the new LMK is the current one (check value " + n.checkValue() + ")");
        }
        next = n;
        return n.checkValue();
    }

    @Override
    public String rewrapUnderNewLmk(String keyBlock) {
        Lmk target = next;
        if (target == null) {
            throw new IllegalStateException("no LMK rotation in progress");
        }
        try {
            Tr31KeyBlock.unwrap(target.key(), keyBlock).wipe();
            return keyBlock;
        } catch (CryptoException underOld) {
            Tr31KeyBlock.Unwrapped u = Tr31KeyBlock.unwrap(lmk.key(), keyBlock);
            try {
                return Tr31KeyBlock.wrap(target.key(), u.header(), u.key());
            } finally {
                u.wipe();
            }
        }
    }

    @Override
    public synchronized void finishLmkRotation() {
        Lmk n = next;
        if (n == null) {
            throw new IllegalStateException("no LMK rotation in progress");
        }
        Lmk old = lmk;
        lmk = n;
        next = null;
        CipherSuite.wipe(old.key());
    }

    @Override
    public WrappedKey importTmk(List<byte[]> components, CipherSuite suite) {
        byte[] tmk = KeyComponents.combine(components, 16, "a TMK");
        try {
            return wrap(tmk, suite, "K0");
        } finally {
            CipherSuite.wipe(tmk);
        }
    }

    @Override
    public WrappedKey generateTmk(CipherSuite suite) {
        byte[] tmk = random(16);
        try {
            return wrap(tmk, suite, "K0");
        } finally {
            CipherSuite.wipe(tmk);
        }
    }

    @Override
    public byte[] exportTmk(WrappedKey tmk, KeyTransport transport, byte[] publicKeyDer) {
        byte[] clear = unwrap(tmk);
        try {
            return transport.encrypt(publicKeyDer, clear);
        } finally {
            CipherSuite.wipe(clear);
        }
    }

    @Override
    public SessionKeys issueWorkingKeys(WrappedKey tmk, int signOnCode) {
        CipherSuite suite = WorkingKeys.suiteOf(signOnCode);
        if (suite != tmk.suite()) {
            throw new CryptoException("60.3 = " + signOnCode + " needs a " + suite + " TMK");
        }
        int[] len = WorkingKeys.keyLengths(signOnCode);
        WorkingKeys.Clear keys = new WorkingKeys.Clear(random(len[0]), random(len[1]), len[2] == 0 ? null : random(len[2]));
        byte[] clearTmk = unwrap(tmk);
        try {
            byte[] field62 = WorkingKeys.pack(signOnCode, clearTmk, keys);
            return new SessionKeys(field62, wrap(keys.pik(), suite, "P0"), wrap(keys.mak(), suite, "M0"),
                    keys.tdk() == null ? null : wrap(keys.tdk(), suite, "D0"));
        } finally {
            CipherSuite.wipe(clearTmk);
            keys.wipe();
        }
    }

    @Override
    public MacSigner macSigner(WrappedKey mak) {
        byte[] clear = unwrap(mak);
        try {
            return new PosEcbMac(mak.suite(), clear);
        } finally {
            CipherSuite.wipe(clear);
        }
    }

    @Override
    public char[] decryptCredential(WrappedKey key, byte[] block) {
        return pinKey(key).decryptCredential(block);
    }

    @Override
    public PinKey pinKey(WrappedKey key) {
        byte[] clear = unwrap(key);
        PinBlock.Decryptor decryptor;
        try {
            decryptor = new PinBlock.Decryptor(key.suite(), clear);
        } finally {
            CipherSuite.wipe(clear);
        }
        return new PinKey() {
            @Override
            public synchronized String verifyPinBlock(byte[] block, String pan) {
                byte[] clearBlock = decryptor.decrypt(block);
                char[] pin = null;
                try {
                    pin = PinBlock.decodeFormat0(clearBlock, pan).toCharArray();
                    return pinVerificationValue(pan, pin);
                } finally {
                    CipherSuite.wipe(clearBlock);
                    if (pin != null) {
                        java.util.Arrays.fill(pin, '\0');
                    }
                }
            }

            @Override
            public synchronized char[] decryptCredential(byte[] block) {
                byte[] clearBlock = decryptor.decrypt(block);
                try {
                    return PinBlock.decodeCredential(clearBlock).toCharArray();
                } finally {
                    CipherSuite.wipe(clearBlock);
                }
            }

            @Override
            public String toString() {
                return "PinKey[" + key.suite() + ", check value " + key.checkValue() + "]";
            }
        };
    }

    @Override
    public String pinVerificationValue(String pan, char[] pin) {
        byte[] key = pvk;
        if (key == null) {
            throw new IllegalStateException("the PIN verification key is not installed");
        }
        byte[] data = (pan + ":" + new String(pin)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            return Bcd.hex(pvkMac(key).doFinal(data));
        } finally {
            CipherSuite.wipe(data);
        }
    }

    /** A thread's HMAC-SHA256 keyed with the PVK, and the key it was keyed with. */
    private record KeyedMac(byte[] key, javax.crypto.Mac mac) {
    }

    private final ThreadLocal<KeyedMac> pvkMacs = new ThreadLocal<>();

    /**
     * This thread's HMAC keyed with {@code key}: keyed once per thread and key (a MAC resets to its keyed state after
     * each result), and the JDK's, whose SHA-256 runs on the processor's SHA instructions where it has them. Every
     * sale's PIN check computes one; keyed afresh each time (two more SHA-256 blocks) in BouncyCastle's Java it was
     * 5 % of the host's event-loop samples at 9,000 sales a second (docs/performance.md, runs 10 and 11).
     */
    private javax.crypto.Mac pvkMac(byte[] key) {
        KeyedMac m = pvkMacs.get();
        if (m == null || m.key() != key) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
                m = new KeyedMac(key, mac);
                pvkMacs.set(m);
            } catch (java.security.GeneralSecurityException e) {
                throw new CryptoException("HmacSHA256 is not available: " + e.getMessage());
            }
        }
        return m.mac();
    }

    @Override
    public String verifyPinBlock(WrappedKey pik, byte[] block, String pan) {
        return pinKey(pik).verifyPinBlock(block, pan);
    }

    @Override
    public String decryptTrack(WrappedKey tdk, String track) {
        byte[] key = unwrap(tdk);
        try {
            return org.posfleet.crypto.TrackData.decrypt(tdk.suite(), key, track);
        } finally {
            CipherSuite.wipe(key);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        org.bouncycastle.crypto.macs.HMac mac = new org.bouncycastle.crypto.macs.HMac(new org.bouncycastle.crypto.digests.SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    @Override
    public String componentCheckValue(byte[] component, CipherSuite suite) {
        return Bcd.hex(KeyCheckValue.of(suite, component, 3));
    }

    private WrappedKey wrap(byte[] key, CipherSuite suite, String usage) {
        char algorithm = suite == CipherSuite.SM4 ? SM4_ALGORITHM : 'T';
        String block = Tr31KeyBlock.wrap(wrappingKey().key(), new Tr31KeyBlock.Header('D', usage, algorithm, 'B', "00", 'N'), key);
        return new WrappedKey(block, Bcd.hex(KeyCheckValue.of(suite, key, 4)), suite);
    }

    /** New keys go under the new LMK as soon as a rotation begins, so that nothing written after it needs re-wrapping. */
    private Lmk wrappingKey() {
        Lmk n = next;
        return n != null ? n : lmk;
    }

    /** During a rotation a block may be under either LMK; the TR-31 MAC tells which. */
    private Tr31KeyBlock.Unwrapped unwrapBlock(String block) {
        Lmk n = next;
        if (n != null) {
            try {
                return Tr31KeyBlock.unwrap(n.key(), block);
            } catch (CryptoException notYet) {
                // still under the current LMK
            }
        }
        return Tr31KeyBlock.unwrap(lmk.key(), block);
    }

    private byte[] unwrap(WrappedKey wrapped) {
        Tr31KeyBlock.Unwrapped u = unwrapBlock(wrapped.keyBlock());
        char expected = wrapped.suite() == CipherSuite.SM4 ? SM4_ALGORITHM : 'T';
        if (u.header().algorithm() != expected) {
            u.wipe();
            throw new CryptoException("key block algorithm does not match the key's suite");
        }
        return u.key();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
