package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the POS ECB MAC against a second implementation written here from the protocol description
 * with the JDK's own DES (SunJCE) and BouncyCastle's JCA SM4, sharing no code with PosEcbMac.
 */
class PosEcbMacTest {

    private static final byte[] MAK = fromHex("0123456789ABCDEF");

    @ParameterizedTest(name = "DES variant agrees with JCA reference for {0} bytes")
    @ValueSource(ints = {0, 1, 7, 8, 9, 15, 16, 63, 64, 65, 300})
    void desVariantAgreesWithJcaReference(int length) throws Exception {
        byte[] data = random(length);
        assertThat(new PosEcbMac(CipherSuite.TDES, MAK).mac(data)).isEqualTo(reference("DES", MAK, 8, data));
    }

    @ParameterizedTest(name = "SM4 variant agrees with JCA reference for {0} bytes")
    @ValueSource(ints = {0, 5, 16, 17, 100})
    void sm4VariantAgreesWithJcaReference(int length) throws Exception {
        byte[] key = fromHex("0123456789ABCDEFFEDCBA9876543210");
        byte[] data = random(length);
        assertThat(new PosEcbMac(CipherSuite.SM4, key).mac(data)).isEqualTo(reference("SM4", key, 16, data));
    }

    @Test
    void doubleLengthMakWithZeroRightHalfIsTheSingleDesMak() {
        byte[] data = random(50);
        byte[] padded = fromHex("0123456789ABCDEF0000000000000000");
        assertThat(new PosEcbMac(CipherSuite.TDES, padded).mac(data)).isEqualTo(new PosEcbMac(CipherSuite.TDES, MAK).mac(data));
    }

    @Test
    void macIsEightUpperCaseHexCharacters() {
        String mac = new String(new PosEcbMac(CipherSuite.TDES, MAK).mac(random(40)), StandardCharsets.US_ASCII);
        assertThat(mac).matches("[0-9A-F]{8}");
    }

    @Test
    void anyChangedByteChangesTheMac() {
        byte[] data = random(64);
        PosEcbMac mac = new PosEcbMac(CipherSuite.TDES, MAK);
        byte[] before = mac.mac(data);
        data[37] ^= 1;
        assertThat(mac.mac(data)).isNotEqualTo(before);
    }

    private static byte[] reference(String algorithm, byte[] key, int block, byte[] data) throws Exception {
        Cipher c = algorithm.equals("DES") ? Cipher.getInstance("DES/ECB/NoPadding")
                : Cipher.getInstance("SM4/ECB/NoPadding", new BouncyCastleProvider());
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, algorithm));
        byte[] x = new byte[block];
        for (int i = 0; i < data.length; i += block) {
            for (int j = 0; j < block && i + j < data.length; j++) {
                x[j] ^= data[i + j];
            }
        }
        byte[] ascii = HexFormat.of().withUpperCase().formatHex(x).getBytes(StandardCharsets.US_ASCII);
        byte[] left = java.util.Arrays.copyOfRange(ascii, 0, block);
        byte[] right = java.util.Arrays.copyOfRange(ascii, block, 2 * block);
        byte[] e = c.doFinal(left);
        for (int j = 0; j < block; j++) {
            e[j] ^= right[j];
        }
        byte[] result = c.doFinal(e);
        return HexFormat.of().withUpperCase().formatHex(result).substring(0, 8).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n * 31L + 7).nextBytes(b);
        return b;
    }
}
