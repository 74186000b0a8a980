package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinBlockTest {

    private static final byte[] PIK = fromHex("0123456789ABCDEFFEDCBA9876543210");

    @ParameterizedTest(name = "PIN {0} with PAN {1} is {2}")
    @CsvSource({
            "1234, 4012345678909, 041274EDCBA9876F",
            "1234, 43219876543210987, 0412AC89ABCDEF67",
            "92389, 4000001234562, 0592789FFFEDCBA9"})
    void format0MatchesPublishedVectorsAndDecodesBack(String pin, String pan, String block) {
        assertThat(hex(PinBlock.format0(pin, pan))).isEqualTo(block);
        assertThat(PinBlock.decodeFormat0(fromHex(block), pan)).isEqualTo(pin);
    }

    @Test
    void encryptedBlockDecryptsToTheSamePinUnderTdesAndSm4() {
        for (CipherSuite suite : CipherSuite.values()) {
            byte[] enc = PinBlock.encrypt(suite, PIK, PinBlock.format0("123456", "6225880000000001"));
            assertThat(enc).hasSize(suite.blockSize());
            assertThat(PinBlock.decodeFormat0(PinBlock.decrypt(suite, PIK, enc), "6225880000000001")).isEqualTo("123456");
        }
    }

    @Test
    void oneKeyedEncryptorForManyBlocksGivesWhatAFreshCipherGivesEachTime() throws Exception {
        javax.crypto.Cipher jce = javax.crypto.Cipher.getInstance("DESede/ECB/NoPadding");
        byte[] k24 = java.util.Arrays.copyOf(PIK, 24);
        System.arraycopy(PIK, 0, k24, 16, 8); // double-length key as K1 K2 K1
        jce.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(k24, "DESede"));
        for (CipherSuite suite : CipherSuite.values()) {
            PinBlock.Encryptor pins = new PinBlock.Encryptor(suite, PIK);
            for (String pin : new String[] {"1234", "987654", "1234", "000000000000"}) {
                byte[] clear = PinBlock.format0(pin, "6225880000000001");
                byte[] enc = pins.encrypt(clear);
                if (suite == CipherSuite.TDES) {
                    assertThat(hex(enc)).as("the JDK's DESede").isEqualTo(hex(jce.doFinal(clear)));
                }
                assertThat(PinBlock.decodeFormat0(PinBlock.decrypt(suite, PIK, enc), "6225880000000001")).isEqualTo(pin);
            }
            assertThatThrownBy(() -> pins.encrypt(new byte[16])).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void blockUnderAnotherPanDoesNotDecodeToThePin() {
        byte[] block = PinBlock.format0("1234", "4012345678909");
        assertThatThrownBy(() -> PinBlock.decodeFormat0(block, "4000001234562")).isInstanceOf(CryptoException.class);
    }

    @Test
    void credentialBlockCarriesAPasswordWithoutPan() {
        byte[] block = PinBlock.credential("87654321");
        assertThat(hex(block)).isEqualTo("0887654321FFFFFF");
        assertThat(PinBlock.decodeCredential(block)).isEqualTo("87654321");
    }

    @Test
    void malformedBlocksAreRejected() {
        assertThatThrownBy(() -> PinBlock.decodeCredential(fromHex("1412FFFFFFFFFFFF"))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> PinBlock.decodeCredential(fromHex("0412FFFFFFFFFFF0"))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> PinBlock.decodeCredential(fromHex("041A34FFFFFFFFFF"))).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> PinBlock.format0("123", "4012345678909")).isInstanceOf(CryptoException.class);
    }
}
