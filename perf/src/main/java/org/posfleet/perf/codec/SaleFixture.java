package org.posfleet.perf.codec;

import java.util.Arrays;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;

/** A swiped sale with PIN and MAC, built through the production API: the message every benchmark uses. */
final class SaleFixture {

    static final byte[] PIK = Bcd.fromHex("1A2B3C4D5E6F70818293A4B5C6D7E8F9");
    static final byte[] MAK = Bcd.fromHex("0F1E2D3C4B5A6978");
    static final String PAN = "6225880000000001";
    static final int ISO_OFFSET = FrameCodec.LENGTH_SIZE + Tpdu.SIZE + Header.SIZE;

    final IsoMessage message;
    /** The whole frame, 2-byte length included. */
    final byte[] frame;
    /** MTI onwards: what jPOS's packager handles. */
    final byte[] iso;
    final byte[] pinBlock;

    SaleFixture() {
        pinBlock = PinBlock.encrypt(CipherSuite.TDES, PIK, PinBlock.format0("123456", PAN));
        message = CardTransaction.Request.of(MessageKind.SALE, PAN, 12345, 7, 1, "10000001", "898100000000001")
                .withTracks("6225880000000001D2512101", null, "2512")
                .withPin(pinBlock, new SecurityControl(2, 6, 0)).toMessage();
        frame = FrameCodec.encode(new Frame(Tpdu.of(3, 0), Header.of(60, 31, 0, 0, 311301), message), new PosEcbMac(CipherSuite.TDES, MAK));
        iso = Arrays.copyOfRange(frame, ISO_OFFSET, frame.length);
    }
}
