package org.posfleet.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.crypto.PinBlock;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.crypto.WorkingKeys;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.iso.IsoMessage;

/** The key flows end to end through the wire format, host side and terminal side both played here. */
class KeyExchangeFlowTest {

    @ParameterizedTest(name = "remote TMK download over {0}")
    @EnumSource(KeyTransport.class)
    void remoteTmkDownloadDeliversATmkOnlyTheTerminalCanRead(KeyTransport transport) {
        KeyTransport.KeyPairDer terminalKeys = transport.generate();
        IsoMessage request = wire(new TmkDownload.Request(1, Samples.TID, Samples.MID, "SN1", transport.code(),
                TmkDownload.TMK_TDES_DOUBLE, terminalKeys.publicKey()).toMessage());

        TmkDownload.Request atHost = TmkDownload.Request.from(request);
        byte[] tmk = Samples.TMK.clone();
        byte[] encrypted = KeyTransport.ofCode(atHost.transport()).encrypt(atHost.publicKey(), tmk);
        IsoMessage reply = wire(new TmkDownload.Response(1, "101010", "1124", ResponseCode.APPROVED, Samples.TID, Samples.MID,
                encrypted, KeyCheckValue.of(CipherSuite.TDES, tmk, 4), TmkDownload.TMK_TDES_DOUBLE).toMessage());

        TmkDownload.Response atTerminal = TmkDownload.Response.from(reply);
        byte[] installed = transport.decrypt(terminalKeys.privateKey(), atTerminal.encryptedTmk());
        assertThat(installed).isEqualTo(Samples.TMK);
        assertThat(KeyCheckValue.matches(CipherSuite.TDES, installed, atTerminal.checkValue())).isTrue();
        IsoMessage confirm = wire(new TmkDownload.Confirm(2, Samples.TID, Samples.MID, "SN1",
                KeyCheckValue.of(CipherSuite.TDES, installed, 4)).toMessage());
        assertThat(MessageKind.classify(confirm)).isEqualTo(MessageKind.TMK_CONFIRM);
        assertThat(TmkDownload.Confirm.from(confirm).checkValue()).isEqualTo(atTerminal.checkValue());
    }

    @Test
    void signOnThenMacedSaleUnderTheSessionKeys() {
        byte[] password = PinBlock.encrypt(CipherSuite.TDES, Samples.TMK, PinBlock.credential("20261124"));
        IsoMessage signOn = wire(new SignOn.Request(1, Samples.TID, Samples.MID, 1, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK, 3,
                password, "SN1").toMessage());
        SignOn.Request atHost = SignOn.Request.from(signOn);
        assertThat(atHost.operator()).isEqualTo(3);
        assertThat(PinBlock.decodeCredential(PinBlock.decrypt(CipherSuite.TDES, Samples.TMK, atHost.passwordBlock())))
                .isEqualTo("20261124");
        assertThat(atHost.deviceSerial()).isEqualTo("SN1");

        byte[] keys = WorkingKeys.pack(atHost.keySuite(), Samples.TMK,
                new WorkingKeys.Clear(Samples.PIK, Samples.MAK, Samples.TDK));
        IsoMessage reply = wire(new SignOn.Response(1, "101010", "1124", "00000000001", null, ResponseCode.APPROVED,
                Samples.TID, Samples.MID, 5, atHost.keySuite(), keys).toMessage());
        SignOn.Response atTerminal = SignOn.Response.from(reply);
        assertThat(atTerminal.batch()).isEqualTo(5);
        WorkingKeys.Clear session = WorkingKeys.unpack(atTerminal.keySuite(), Samples.TMK, atTerminal.workingKeys());
        assertThat(session.mak()).isEqualTo(Samples.MAK);

        IsoMessage sale = CardTransaction.Request.of(MessageKind.SALE, Samples.PAN, 100, 2, atTerminal.batch(), Samples.TID, Samples.MID)
                .toMessage();
        byte[] wire = FrameCodec.encode(new Frame(Samples.TPDU, Samples.HEADER, sale), new PosEcbMac(CipherSuite.TDES, session.mak()));
        IsoMessage received = FrameCodec.decodeWithLength(wire).message();
        assertThat(received.macMatches(new PosEcbMac(CipherSuite.TDES, Samples.MAK))).isTrue();
        assertThat(received.macMatches(new PosEcbMac(CipherSuite.TDES, Samples.PIK))).isFalse();
        assertThat(CardTransaction.Request.from(received).batch()).isEqualTo(5);
    }

    private static IsoMessage wire(IsoMessage m) {
        return FrameCodec.decodeWithLength(FrameCodec.encode(new Frame(Samples.TPDU, Samples.HEADER, m))).message();
    }
}
