package org.posfleet.crypto;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.posfleet.protocol.message.NetworkCode;

/**
 * Field 62 of the sign-on reply: PIK, MAK and (for 004 and SM4) TDK, each encrypted under the TMK in ECB and
 * followed by a 4-byte check value of the clear key.
 * <pre>
 *   60.3  length  layout
 *   001   24      PIK 8 + CV 4 | MAK 8 + CV 4                               single DES
 *   003   40      PIK 16 + CV 4 | MAK 8 + 8 zero bytes + CV 4               double-length PIK, single-DES MAK
 *   004   60      as 003 | TDK 16 + CV 4
 *   005   60      PIK 16 + CV 4 | MAK 16 + CV 4 | TDK 16 + CV 4             SM4 (this project's layout)
 * </pre>
 */
public final class WorkingKeys {

    public static final int CHECK_VALUE_LENGTH = 4;

    /** Clear working keys. {@code tdk} is null for 001 and 003. Call {@link #wipe} when done. */
    public record Clear(byte[] pik, byte[] mak, byte[] tdk) {
        public void wipe() {
            CipherSuite.wipe(pik, mak, tdk);
        }

        @Override
        public String toString() {
            return "WorkingKeys.Clear[hidden]";
        }
    }

    private WorkingKeys() {
    }

    /** The suite the keys of a sign-on code use. */
    public static CipherSuite suiteOf(int signOnCode) {
        return signOnCode == NetworkCode.SIGN_ON_SM4 ? CipherSuite.SM4 : CipherSuite.TDES;
    }

    /** Clear key lengths for a sign-on code: {PIK, MAK, TDK (0 = none)}. */
    public static int[] keyLengths(int signOnCode) {
        return switch (signOnCode) {
            case NetworkCode.SIGN_ON_SINGLE_DES -> new int[] {8, 8, 0};
            case NetworkCode.SIGN_ON_DOUBLE_DES -> new int[] {16, 8, 0};
            case NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK -> new int[] {16, 8, 16};
            case NetworkCode.SIGN_ON_SM4 -> new int[] {16, 16, 16};
            default -> throw new CryptoException("60.3 = " + signOnCode + " is not a sign-on key suite");
        };
    }

    /** Packs clear keys for field 62, encrypting each under the TMK. */
    public static byte[] pack(int signOnCode, byte[] tmk, Clear keys) {
        CipherSuite suite = suiteOf(signOnCode);
        int[] len = keyLengths(signOnCode);
        ByteArrayOutputStream out = new ByteArrayOutputStream(60);
        put(out, suite, tmk, keys.pik(), len[0]);
        put(out, suite, tmk, keys.mak(), len[1]);
        if (signOnCode == NetworkCode.SIGN_ON_DOUBLE_DES || signOnCode == NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK) {
            // 003/004: the 8-byte MAK's slot is 16 bytes: the encrypted MAK, then 8 zero bytes, then its CV
            byte[] b = out.toByteArray();
            out.reset();
            out.write(b, 0, 20 + 8);
            out.writeBytes(new byte[8]);
            out.write(b, 28, 4);
        }
        if (len[2] > 0) {
            put(out, suite, tmk, keys.tdk(), len[2]);
        }
        return out.toByteArray();
    }

    /**
     * Decrypts field 62 under the TMK and checks every check value. Throws CryptoException when the length or
     * a check value is wrong: the terminal must not use such keys.
     */
    public static Clear unpack(int signOnCode, byte[] tmk, byte[] field62) {
        CipherSuite suite = suiteOf(signOnCode);
        int[] len = keyLengths(signOnCode);
        int expected = expectedLength(signOnCode);
        if (field62 == null || field62.length != expected) {
            throw new CryptoException("working keys for 60.3 = " + signOnCode + " are " + expected + " bytes");
        }
        int p = 0;
        byte[] pik = take(suite, tmk, field62, p, len[0], "PIK");
        p += len[0] + CHECK_VALUE_LENGTH;
        byte[] mak;
        if (signOnCode == NetworkCode.SIGN_ON_DOUBLE_DES || signOnCode == NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK) {
            byte[] slot = Arrays.copyOfRange(field62, p, p + 8);
            byte[] cv = Arrays.copyOfRange(field62, p + 16, p + 20);
            mak = suite.decryptEcb(tmk, slot);
            check(suite, mak, cv, "MAK", pik);
            p += 20;
        } else {
            mak = take(suite, tmk, field62, p, len[1], "MAK");
            p += len[1] + CHECK_VALUE_LENGTH;
        }
        byte[] tdk = len[2] == 0 ? null : take(suite, tmk, field62, p, len[2], "TDK");
        return new Clear(pik, mak, tdk);
    }

    public static int expectedLength(int signOnCode) {
        return switch (signOnCode) {
            case NetworkCode.SIGN_ON_SINGLE_DES -> 24;
            case NetworkCode.SIGN_ON_DOUBLE_DES -> 40;
            default -> 60;
        };
    }

    private static void put(ByteArrayOutputStream out, CipherSuite suite, byte[] tmk, byte[] key, int length) {
        if (key == null || key.length != length) {
            throw new CryptoException("working key must be " + length + " bytes");
        }
        out.writeBytes(suite.encryptEcb(tmk, key));
        out.writeBytes(KeyCheckValue.of(suite, key, CHECK_VALUE_LENGTH));
    }

    private static byte[] take(CipherSuite suite, byte[] tmk, byte[] f, int p, int length, String name) {
        byte[] key = suite.decryptEcb(tmk, Arrays.copyOfRange(f, p, p + length));
        check(suite, key, Arrays.copyOfRange(f, p + length, p + length + CHECK_VALUE_LENGTH), name);
        return key;
    }

    private static void check(CipherSuite suite, byte[] key, byte[] cv, String name, byte[]... alsoWipe) {
        if (!KeyCheckValue.matches(suite, key, cv)) {
            CipherSuite.wipe(key);
            CipherSuite.wipe(alsoWipe);
            throw new CryptoException(name + " check value does not match");
        }
    }
}
