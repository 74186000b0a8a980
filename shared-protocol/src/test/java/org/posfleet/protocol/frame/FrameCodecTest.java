package org.posfleet.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.posfleet.protocol.iso.Bcd.fromHex;
import static org.posfleet.protocol.iso.Bcd.hex;

import org.junit.jupiter.api.Test;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;

class FrameCodecTest {

    private static final IsoMessage ECHO = IsoMessage.builder(820).set(11, 1L).set(41, "10000001").set(42, "898100000000001")
            .set(60, "00000001301").build();

    @Test
    void lengthCountsEverythingAfterItselfAndTpduAndHeaderLeadTheBody() {
        byte[] wire = FrameCodec.encode(new Frame(Tpdu.of(3, 0), Header.of(60, 31, 0, 0, 311301), ECHO));
        assertThat(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)).isEqualTo(wire.length - 2);
        assertThat(hex(wire).substring(4, 26)).isEqualTo("6000030000" + "603100311301");
        assertThat(hex(wire).substring(26, 30)).isEqualTo("0820");
    }

    @Test
    void replySwapsTpduAddressesAndSetsProcessingRequirement() {
        Frame request = new Frame(new Tpdu(0x60, 0x0003, 0x0102), Header.of(60, 31, 0, 0, 311301), ECHO);
        Frame reply = request.reply(ECHO, Header.PR_SIGN_ON_AGAIN);
        assertThat(reply.tpdu()).isEqualTo(new Tpdu(0x60, 0x0102, 0x0003));
        assertThat(reply.header().processingRequirement()).isEqualTo(3);
        assertThat(reply.header().toString()).isEqualTo("603103311301");
        Frame back = FrameCodec.decodeWithLength(FrameCodec.encode(reply));
        assertThat(back).isEqualTo(reply);
    }

    @Test
    void headerSubFieldsAreReadFromTheirNibbles() {
        Header h = new Header(Long.parseLong("613210201234", 16));
        assertThat(h.applicationType()).isEqualTo(61);
        assertThat(h.softwareVersion()).isEqualTo(32);
        assertThat(h.terminalStatus()).isEqualTo(1);
        assertThat(h.processingRequirement()).isEqualTo(0);
        assertThat(h.subVersion()).isEqualTo("201234");
    }

    @Test
    void shortOrOversizedFramesAreTypedErrors() {
        assertThatThrownBy(() -> FrameCodec.decode(fromHex("600003000060310031130108"), 0, 12))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.TRUNCATED));
        assertThatThrownBy(() -> FrameCodec.decodeWithLength(fromHex("FFFF6000030000")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.FRAME_LENGTH));
        assertThatThrownBy(() -> FrameCodec.decodeWithLength(fromHex("0030600003")))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void errorOffsetsCountFromTheFrameBody() {
        byte[] wire = FrameCodec.encode(new Frame(Tpdu.of(3, 0), Header.of(60, 31, 0, 0, 311301), ECHO));
        wire[2 + 11 + 10] = (byte) 0xAB; // first byte of field 11
        assertThatThrownBy(() -> FrameCodec.decodeWithLength(wire)).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.field()).isEqualTo(11);
            assertThat(e.offset()).isEqualTo(11 + 10);
        });
    }
}
