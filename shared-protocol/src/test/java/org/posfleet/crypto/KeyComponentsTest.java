package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyComponentsTest {

    @Test
    void keyIsTheXorOfItsComponents() {
        byte[] key = KeyComponents.combine(List.of(fromHex("11111111111111112222222222222222"), fromHex("0123456789ABCDEFFEDCBA9876543210")),
                16, "a TMK");
        assertThat(hex(key)).isEqualTo("1032547698BADCFEDCFE98BA54761032");
        assertThat(hex(KeyCheckValue.of(CipherSuite.TDES, key, 3))).isEqualTo("2284A8"); // as the demo's ceremony prints
    }

    @Test
    void oneComponentOrOneOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> KeyComponents.combine(List.of(new byte[16]), 16, "a TMK")).isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> KeyComponents.combine(List.of(new byte[16], new byte[15]), 16, "a TMK")).isInstanceOf(CryptoException.class);
    }
}
