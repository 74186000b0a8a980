package org.posfleet.protocol.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic coder against the test sequence of ITU-T T.82 clause 7.1 and its own probability table. */
class QmCoderTest {

    /** T.82 7.1: 256 decisions, PIX and CX as sixteen-bit words, most significant bit first. */
    private static final int[] PIX = {0x05e0, 0x0000, 0x8b00, 0x01c4, 0x1700, 0x0034, 0x7fff, 0x1a3f, 0x951b, 0x05d8, 0x1d17, 0xe770,
        0x0000, 0x0000, 0x0656, 0x0e6a};
    private static final int[] CX = {0x0fe0, 0x0000, 0x0f00, 0x00f0, 0xff00, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000};
    /** T.82 7.1's coded data, before stuffing, without the trailing zero bytes an encoder may leave off. */
    private static final int[] SCD = {0x69, 0x89, 0x99, 0x5c, 0x32, 0xea, 0xfa, 0xa0, 0xd5, 0xff, 0x52, 0x7f, 0xff, 0xff, 0xff, 0xc0,
        0x00, 0x00, 0x00, 0x3f, 0xff, 0x2d, 0x20, 0x82, 0x91};

    private static List<Integer> bits(int[] words) {
        List<Integer> out = new ArrayList<>();
        for (int w : words) {
            for (int i = 15; i >= 0; i--) {
                out.add((w >> i) & 1);
            }
        }
        return out;
    }

    @Test
    void encoderProducesTheStandardsTestSequence() {
        List<Integer> pix = bits(PIX);
        List<Integer> cx = bits(CX);
        QmCoder.Encoder e = new QmCoder.Encoder(new QmCoder.Contexts(2));
        for (int i = 0; i < pix.size(); i++) {
            e.encode(cx.get(i), pix.get(i));
        }
        byte[] expected = new byte[SCD.length];
        for (int i = 0; i < SCD.length; i++) {
            expected[i] = (byte) SCD[i];
        }
        assertThat(e.flush()).isEqualTo(expected);
    }

    @Test
    void decoderRecoversTheStandardsTestSequence() {
        byte[] scd = new byte[SCD.length];
        for (int i = 0; i < SCD.length; i++) {
            scd[i] = (byte) SCD[i];
        }
        List<Integer> cx = bits(CX);
        QmCoder.Decoder d = new QmCoder.Decoder(new QmCoder.Contexts(2), scd);
        List<Integer> decoded = new ArrayList<>();
        for (int c : cx) {
            decoded.add(d.decode(c));
        }
        assertThat(decoded).isEqualTo(bits(PIX));
    }

    @Test
    void probabilityTableHoldsTogether() {
        assertThat(QmCoder.states()).isEqualTo(113);
        List<Integer> switching = new ArrayList<>();
        for (int s = 0; s < QmCoder.states(); s++) {
            assertThat(QmCoder.lsz(s)).isBetween(1, 0x7fff);
            assertThat(QmCoder.nlps(s)).isBetween(0, 112);
            assertThat(QmCoder.nmps(s)).isBetween(0, 112);
            if (QmCoder.switches(s)) {
                switching.add(s);
            }
        }
        assertThat(switching).containsExactly(0, 14, 36, 64, 80, 88, 95, 105, 110, 112);
    }
}
