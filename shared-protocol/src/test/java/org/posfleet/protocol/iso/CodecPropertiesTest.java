package org.posfleet.protocol.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.Samples;

/** Generated and mutated input: round trips hold, and malformed bytes only ever give ProtocolException. */
class CodecPropertiesTest {

    private static final List<byte[]> SAMPLE_FRAMES = Samples.all().stream().map(Samples.Sample::encode).toList();

    @Provide
    Arbitrary<IsoMessage> messages() {
        return Arbitraries.randomValue(CodecPropertiesTest::randomMessage);
    }

    @Property(tries = 2000)
    void decodeOfEncodeIsTheSameMessage(@ForAll("messages") IsoMessage m) {
        byte[] wire = IsoCodec.encode(m);
        IsoMessage back = IsoCodec.decode(wire, 0, wire.length);
        assertThat(back).isEqualTo(m);
        assertThat(IsoCodec.encode(back)).isEqualTo(wire);
        for (int f = 2; f <= 64; f++) {
            assertThat(back.string(f)).isEqualTo(m.string(f));
        }
    }

    @Property(tries = 2000)
    void theDigestWithoutMacIsTheHashOfTheMessageEncodedWithoutField64(@ForAll("messages") IsoMessage m) throws Exception {
        IsoMessage withoutMac = m.has(64) ? m.toBuilder(m.mti()).remove(64).build() : m;
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(IsoCodec.encode(withoutMac));
        byte[] wire = IsoCodec.encode(m);
        for (IsoMessage form : List.of(m, IsoCodec.decode(wire, 0, wire.length))) { // built, and as it travelled
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            form.updateWithoutMac(sha);
            assertThat(sha.digest()).isEqualTo(expected);
        }
    }

    @Property(tries = 5000)
    void randomBytesGiveAMessageOrAProtocolException(@ForAll @Size(max = 400) byte[] bytes) {
        decodeOrTypedError(bytes);
    }

    @Property(tries = 5000)
    void mutatedFramesGiveAMessageOrAProtocolException(@ForAll @IntRange(min = 0, max = 10_000) int seed) {
        Random r = new Random(seed);
        byte[] frame = SAMPLE_FRAMES.get(r.nextInt(SAMPLE_FRAMES.size()));
        byte[] body = java.util.Arrays.copyOfRange(frame, 2, frame.length);
        byte[] mutated = switch (r.nextInt(4)) {
            case 0 -> flip(body, r, 1 + r.nextInt(4));
            case 1 -> java.util.Arrays.copyOf(body, r.nextInt(body.length));
            case 2 -> java.util.Arrays.copyOf(body, body.length + 1 + r.nextInt(20));
            default -> {
                byte[] b = body.clone();
                b[13 + 2 + r.nextInt(8)] ^= (byte) (1 << r.nextInt(8)); // a bitmap bit: fields appear or vanish
                yield b;
            }
        };
        decodeOrTypedError(mutated);
    }

    private static void decodeOrTypedError(byte[] body) {
        Frame f;
        try {
            f = FrameCodec.decode(body, 0, body.length);
        } catch (ProtocolException expected) {
            assertThat(expected.offset()).isBetween(0, body.length);
            assertThat(expected.field()).isBetween(0, 64);
            return;
        }
        // what decodes re-encodes byte for byte, and classifying it never throws
        assertThat(java.util.Arrays.copyOfRange(FrameCodec.encode(f), 2, body.length + 2)).isEqualTo(body);
        MessageKind.classify(f.message());
        f.message().toString();
    }

    private static byte[] flip(byte[] body, Random r, int count) {
        byte[] b = body.clone();
        for (int i = 0; i < count; i++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    static IsoMessage randomMessage(Random r) {
        IsoMessage.Builder b = IsoMessage.builder(r.nextInt(10_000));
        for (int f = 2; f <= 64; f++) {
            if (r.nextInt(4) != 0) {
                continue;
            }
            FieldSpec spec = FieldSpecs.get(f);
            int n = spec.fixed() ? spec.length() : r.nextInt(Math.min(spec.acceptedMax(), 120) + 1);
            switch (spec.type()) {
                case N -> b.set(f, digits(r, n, "0123456789"));
                case Z -> b.set(f, digits(r, n, "0123456789ABCDEF"));
                case AN, ANS -> b.set(f, digits(r, n, " 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*#-/"));
                case B -> {
                    byte[] v = new byte[n];
                    r.nextBytes(v);
                    b.set(f, v);
                }
            }
        }
        return b.build();
    }

    private static String digits(Random r, int n, String alphabet) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
