package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.api.Test;

class DukptTest {

    private static final byte[] BDK = fromHex("0123456789ABCDEFFEDCBA9876543210");

    @Test
    void initialKeyMatchesX924AnnexA() {
        assertThat(hex(Dukpt.initialKey(BDK, fromHex("FFFF9876543210E00000")))).isEqualTo("6AC292FAA1315B4D858AB3A3D7D5933A");
    }

    @Test
    void firstTransactionKeysAndPinBlockMatchX924AnnexA() {
        byte[] ksn = fromHex("FFFF9876543210E00001");
        byte[] current = Dukpt.currentKey(Dukpt.initialKey(BDK, ksn), ksn);
        assertThat(hex(current)).isEqualTo("042666B49184CFA368DE9628D0397BC9");
        byte[] pinKey = Dukpt.pinKey(current);
        assertThat(hex(pinKey)).isEqualTo("042666B49184CF5C68DE9628D0397B36");
        byte[] encrypted = PinBlock.encrypt(CipherSuite.TDES, pinKey, PinBlock.format0("1234", "4012345678909"));
        assertThat(hex(encrypted)).isEqualTo("1B9C1845EB993A7A");
    }

    @Test
    void counterZeroGivesTheInitialKey() {
        byte[] ksn = fromHex("FFFF9876543210E00000");
        byte[] ipek = Dukpt.initialKey(BDK, ksn);
        assertThat(Dukpt.currentKey(ipek, ksn)).isEqualTo(ipek);
    }
}
