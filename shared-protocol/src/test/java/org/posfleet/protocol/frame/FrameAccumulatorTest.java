package org.posfleet.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;

class FrameAccumulatorTest {

    private static byte[] frame(int stan) {
        IsoMessage m = IsoMessage.builder(820).set(11, stan).set(41, "10000001").set(42, "898100000000001")
                .set(60, "00000001301").build();
        return FrameCodec.encode(new Frame(Tpdu.of(3, 0), Header.of(60, 31, 0, 0, 311301), m));
    }

    @Test
    void framesSplitAnywhereOrJoinedInOneReadComeOutWhole() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 1; i <= 50; i++) {
            stream.writeBytes(frame(i));
        }
        byte[] all = stream.toByteArray();
        Random random = new Random(42);
        for (int run = 0; run < 20; run++) {
            FrameAccumulator acc = new FrameAccumulator(FrameCodec.DEFAULT_MAX_BODY);
            List<byte[]> out = new ArrayList<>();
            int p = 0;
            while (p < all.length) {
                int n = Math.min(all.length - p, run == 0 ? 1 : 1 + random.nextInt(200));
                acc.push(all, p, n, out::add);
                p += n;
            }
            assertThat(out).hasSize(50);
            for (int i = 0; i < 50; i++) {
                assertThat(FrameCodec.decode(out.get(i), 0, out.get(i).length).message().number(11)).isEqualTo(i + 1);
            }
            assertThat(acc.pending()).isZero();
        }
    }

    @Test
    void partialFrameIsHeldUntilItCompletes() {
        byte[] f = frame(9);
        FrameAccumulator acc = new FrameAccumulator(FrameCodec.DEFAULT_MAX_BODY);
        List<byte[]> out = new ArrayList<>();
        acc.push(f, 0, f.length - 1, out::add);
        assertThat(out).isEmpty();
        assertThat(acc.pending()).isEqualTo(f.length - 1);
        acc.push(f, f.length - 1, 1, out::add);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isEqualTo(Arrays.copyOfRange(f, 2, f.length));
    }

    @Test
    void oversizedOrTinyLengthRejectsTheStreamForGood() {
        FrameAccumulator acc = new FrameAccumulator(512);
        assertThatThrownBy(() -> acc.push(new byte[] {0x02, 0x01}, 0, 2, b -> { }))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.FRAME_LENGTH));
        byte[] good = frame(1);
        assertThatThrownBy(() -> acc.push(good, 0, good.length, b -> { })).isInstanceOf(ProtocolException.class);
        FrameAccumulator tiny = new FrameAccumulator(512);
        assertThatThrownBy(() -> tiny.push(new byte[] {0x00, 0x05}, 0, 2, b -> { })).isInstanceOf(ProtocolException.class);
    }
}
