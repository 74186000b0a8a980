package org.posfleet.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.function.Function;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameAccumulator;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.iso.IsoCodec;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.iso.ProtocolException;
import org.posfleet.protocol.message.BatchUpload;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkManagement;
import org.posfleet.protocol.message.Reversal;
import org.posfleet.protocol.message.Settlement;
import org.posfleet.protocol.message.SignOn;
import org.posfleet.protocol.message.SignatureUpload;
import org.posfleet.protocol.message.TmkDownload;
import org.posfleet.protocol.signature.Jbig;

/**
 * Coverage-guided fuzzing (Jazzer) of everything that reads bytes from a terminal: the frame accumulator, the
 * frame and ISO decoder, and every request view the host applies to a decoded message, as the host reads them; and
 * the JBIG decoder for signature images. Bad input may only fail with the typed errors the host turns into a
 * response code or a closed connection (ProtocolException, IllegalArgumentException; JbigException), never with
 * anything else; a message that decodes must encode back to the same bytes.
 *
 * <p>Without the JAZZER_FUZZ environment variable this runs as a regression test over the checked-in corpus
 * (src/test/resources/.../WireFuzzTestInputs); with JAZZER_FUZZ=1 it fuzzes (docs/reliability.md).
 */
class WireFuzzTest {

    /** The request views of the host's flows: each may refuse a message, only with a typed error. */
    private static final List<Function<IsoMessage, ?>> VIEWS = List.of(CardTransaction.Request::from, SignOn.Request::from,
            Reversal.Request::from, Settlement.Request::from, SignatureUpload.Request::from, NetworkManagement.Request::from,
            BatchUpload.Request::from, TmkDownload.Request::from, TmkDownload.Confirm::from);

    @FuzzTest(maxDuration = "5m")
    void terminalBytesFailOnlyWithTypedErrors(byte[] data) {
        FrameAccumulator frames = new FrameAccumulator(FrameCodec.DEFAULT_MAX_BODY);
        try {
            frames.push(data, 0, data.length, WireFuzzTest::readLikeTheHost);
        } catch (ProtocolException expected) {
            // the host closes the connection
        }
        readLikeTheHost(data); // the same bytes as one frame body
    }

    @FuzzTest(maxDuration = "5m")
    void signatureImagesFailOnlyWithJbigErrors(byte[] data) {
        try {
            Jbig.decode(data, 1 << 16);
        } catch (Jbig.JbigException expected) {
            // the host answers 30
        }
    }

    private static void readLikeTheHost(byte[] body) {
        Frame frame;
        try {
            frame = FrameCodec.decode(body, 0, body.length);
        } catch (ProtocolException expected) {
            return;
        }
        IsoMessage m = frame.message();
        byte[] again = IsoCodec.encode(m);
        IsoMessage reread = IsoCodec.decode(again, 0, again.length);
        assertThat(IsoCodec.encode(reread)).isEqualTo(again);
        MessageKind.classify(m);
        for (Function<IsoMessage, ?> view : VIEWS) {
            try {
                view.apply(m);
            } catch (ProtocolException | IllegalArgumentException expected) {
                // the host answers 30
            }
        }
    }
}
