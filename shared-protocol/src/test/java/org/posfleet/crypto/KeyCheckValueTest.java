package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyCheckValueTest {

    @ParameterizedTest(name = "KCV of {0} is {1}")
    @CsvSource({
            "0123456789ABCDEFFEDCBA9876543210, 08D7B4",
            "6AC292FAA1315B4D858AB3A3D7D5933A, AF8C07",
            "30313233343536373839414243444546, 33C4CB"})
    void checkValueMatchesPublishedVector(String key, String kcv) {
        assertThat(hex(KeyCheckValue.of(CipherSuite.TDES, fromHex(key), 3))).isEqualTo(kcv);
        assertThat(KeyCheckValue.matches(CipherSuite.TDES, fromHex(key), fromHex(kcv))).isTrue();
    }

    @ParameterizedTest
    @CsvSource("0123456789ABCDEFFEDCBA9876543210, 08D7B4FB629D0885")
    void zeroBlockEncryptsToPublishedBlock(String key, String block) {
        assertThat(hex(KeyCheckValue.of(CipherSuite.TDES, fromHex(key), 8))).isEqualTo(block);
    }

    @ParameterizedTest
    @CsvSource("0123456789ABCDEFFEDCBA9876543210, 08D7B5")
    void wrongCheckValueDoesNotMatch(String key, String kcv) {
        assertThat(KeyCheckValue.matches(CipherSuite.TDES, fromHex(key), fromHex(kcv))).isFalse();
    }
}
