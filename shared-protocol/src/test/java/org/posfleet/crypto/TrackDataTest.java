package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrackDataTest {

    private static final byte[] TDK = fromHex("F0E1D2C3B4A5968778695A4B3C2D1E0F");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"6225880000000001D30121011234567890", "6225880000000001D3012101123456789", "4761340000000019D251220"})
    void encryptsTheBlockBeforeTheLastByteInPlaceAndDecryptsBack(String track) {
        String enc = TrackData.encrypt(CipherSuite.TDES, TDK, track);
        assertThat(enc).hasSameSizeAs(track).isNotEqualTo(track);
        String paddedClear = (track.length() % 2 == 1 ? track + "0" : track);
        String paddedEnc = (enc.length() % 2 == 1 ? enc + "0" : enc);
        int blockStartDigit = paddedClear.length() - 2 - 16;
        assertThat(paddedEnc.substring(0, blockStartDigit)).as("digits before the block stay clear").isEqualTo(paddedClear.substring(0, blockStartDigit));
        assertThat(enc.substring(paddedClear.length() - 2)).as("the last byte stays clear")
                .isEqualTo(track.substring(paddedClear.length() - 2));
        // the encrypted block is TDES-ECB of the clear block
        byte[] clearBlock = fromHex(paddedClear.substring(blockStartDigit, blockStartDigit + 16).replace('D', 'D'));
        assertThat(paddedEnc.substring(blockStartDigit, blockStartDigit + 16))
                .isEqualTo(org.posfleet.protocol.iso.Bcd.hex(CipherSuite.TDES.encryptEcb(TDK, clearBlock)));
        assertThat(TrackData.decrypt(CipherSuite.TDES, TDK, enc)).isEqualTo(track);
    }
}
