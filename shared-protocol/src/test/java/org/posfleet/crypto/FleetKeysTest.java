package org.posfleet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.protocol.iso.Bcd.fromHex;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FleetKeysTest {

    private static final byte[] FLEET = fromHex("00112233445566778899AABBCCDDEEFF");

    @Test
    void everyTerminalGetsItsOwnTmkAndTheSameTidTheSameTmk() {
        assertThat(FleetKeys.tmkFor(FLEET, "20000001")).isEqualTo(FleetKeys.tmkFor(FLEET, "20000001"))
                .isNotEqualTo(FleetKeys.tmkFor(FLEET, "20000002")).hasSize(16);
    }

    @Test
    void tmkIsTdesOfTheTidUnderTheFleetKey() {
        byte[] input = "TMK120000001    ".getBytes(StandardCharsets.US_ASCII);
        assertThat(FleetKeys.tmkFor(FLEET, "20000001")).isEqualTo(CipherSuite.TDES.encryptEcb(FLEET, input));
        assertThat(FleetKeys.panFor("20000001")).isEqualTo("8888000020000001");
    }
}
