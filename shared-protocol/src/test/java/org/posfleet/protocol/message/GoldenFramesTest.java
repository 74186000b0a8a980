package org.posfleet.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;

/**
 * Every message type: encode -> exactly the golden bytes -> decode -> the same message and kind, and the
 * typed view reads back what was written. Golden files live in src/test/resources/golden; run with
 * -Dgolden.write=true once to record a new message type, then read the bytes before committing them.
 */
class GoldenFramesTest {

    static Stream<Samples.Sample> samples() {
        return Samples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void encodesToGoldenBytesAndDecodesBack(Samples.Sample sample) throws IOException {
        byte[] wire = sample.encode();
        String golden = golden(sample.name(), Bcd.hex(wire));
        assertThat(Bcd.hex(wire)).as("golden bytes of " + sample.name()).isEqualTo(golden);

        Frame decoded = FrameCodec.decodeWithLength(wire);
        assertThat(decoded.tpdu()).isEqualTo(sample.frame().tpdu());
        assertThat(decoded.header()).isEqualTo(Samples.HEADER);
        assertThat(FrameCodec.encode(decoded)).as("re-encoding a decoded frame is byte-exact").isEqualTo(wire);
        IsoMessage m = decoded.message();
        int requestMti = m.mti() % 20 >= 10 ? m.mti() - 10 : m.mti();
        assertThat(MessageKind.classify(requestMti, m)).isEqualTo(sample.kind());
        if (m.has(64)) {
            assertThat(m.macMatches(new PosEcbMac(CipherSuite.TDES, Samples.MAK))).isTrue();
        }
        assertThat(viewRoundTrip(sample.kind(), m)).as("typed view writes the same fields").isEqualTo(withoutMac(m));
    }

    /** Reads the message through its typed view and writes it again. */
    private static IsoMessage viewRoundTrip(MessageKind kind, IsoMessage m) {
        boolean reply = m.mti() % 20 >= 10;
        IsoMessage again = switch (kind) {
            case SIGN_ON -> reply ? SignOn.Response.from(m).toMessage() : SignOn.Request.from(m).toMessage();
            case SIGN_OFF, ECHO_TEST, PARAMETER_DOWNLOAD -> reply ? NetworkManagement.Response.from(kind, m).toMessage()
                    : NetworkManagement.Request.from(m).toMessage();
            case TMK_DOWNLOAD -> reply ? TmkDownload.Response.from(m).toMessage() : TmkDownload.Request.from(m).toMessage();
            case TMK_CONFIRM -> TmkDownload.Confirm.from(m).toMessage();
            case SETTLEMENT -> reply ? Settlement.Response.from(m).toMessage() : Settlement.Request.from(m).toMessage();
            case BATCH_UPLOAD, BATCH_UPLOAD_END -> reply ? m : BatchUpload.Request.from(m).toMessage();
            case SIGNATURE_UPLOAD -> reply ? m : SignatureUpload.Request.from(m).toMessage();
            case REVERSAL -> m;
            default -> reply ? CardTransaction.Response.from(kind, m).toMessage(true) : CardTransaction.Request.from(m).toMessage();
        };
        return withoutMac(again);
    }

    private static IsoMessage withoutMac(IsoMessage m) {
        return m.toBuilder(m.mti()).remove(64).build();
    }

    private static String golden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.write")) {
            Path p = Path.of("src/test/resources/golden", name + ".hex");
            Files.createDirectories(p.getParent());
            Files.writeString(p, actual + "\n");
            return actual;
        }
        try (InputStream in = GoldenFramesTest.class.getResourceAsStream("/golden/" + name + ".hex")) {
            assertThat(in).as("golden file for " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
    }
}
