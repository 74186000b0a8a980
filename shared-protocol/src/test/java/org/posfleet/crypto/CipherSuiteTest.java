package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.bouncycastle.crypto.BlockCipher;
import org.junit.jupiter.api.Test;

class CipherSuiteTest {

    private static final byte[] KEY = fromHex("0123456789ABCDEFFEDCBA9876543210");

    @Test
    void sm4MatchesGbt32907AppendixA() {
        assertThat(hex(CipherSuite.SM4.encryptEcb(KEY, KEY))).isEqualTo("681EDF34D206965E86B3E94F536E4246");
        assertThat(hex(CipherSuite.SM4.decryptEcb(KEY, fromHex("681EDF34D206965E86B3E94F536E4246")))).isEqualTo(hex(KEY));
    }

    @Test
    void sm4MillionTimesMatchesGbt32907AppendixA() {
        BlockCipher engine = CipherSuite.SM4.engine(KEY, true);
        byte[] block = KEY.clone();
        byte[] out = new byte[16];
        for (int i = 0; i < 1_000_000; i++) {
            engine.processBlock(block, 0, out, 0);
            byte[] t = block;
            block = out;
            out = t;
        }
        assertThat(hex(block)).isEqualTo("595298C7C6FD271F0402F804C33D3F66");
    }

    @Test
    void eightByteKeyIsSingleDesAndEqualsTdesWithRepeatedKey() {
        byte[] single = fromHex("0123456789ABCDEF");
        byte[] doubled = fromHex("0123456789ABCDEF0123456789ABCDEF");
        byte[] data = fromHex("4E6F772069732074");
        assertThat(CipherSuite.TDES.encryptEcb(single, data)).isEqualTo(CipherSuite.TDES.encryptEcb(doubled, data));
        // FIPS 81 / NBS single-DES example: "Now is t" under 0123456789ABCDEF
        assertThat(hex(CipherSuite.TDES.encryptEcb(single, data))).isEqualTo("3FA40E8A984D4815");
    }

    @Test
    void wipeZeroesKeys() {
        byte[] k = KEY.clone();
        CipherSuite.wipe(k, null);
        assertThat(k).containsOnly(0);
    }
}
