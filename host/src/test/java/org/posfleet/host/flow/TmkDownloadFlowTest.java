package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.TmkDownload;

/** Remote TMK download with RSA and SM2, then sign-on under the downloaded TMK. */
class TmkDownloadFlowTest {

    private static HostApp host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.shared();
    }

    @ParameterizedTest(name = "{0} transport, {1} TMK")
    @CsvSource({"RSA_OAEP_SHA256, TDES", "SM2, TDES", "SM2, SM4", "RSA_OAEP_SHA256, SM4"})
    void downloadedTmkConfirmedThenSignOnSucceeds(KeyTransport transport, CipherSuite suite) throws Exception {
        TestHost.Provisioned p = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, p.serial(), null, suite)) {
            KeyTransport.KeyPairDer keys = transport.generate();
            int algorithm = suite == CipherSuite.SM4 ? TmkDownload.TMK_SM4 : TmkDownload.TMK_TDES_DOUBLE;
            IsoMessage reply = t.exchange(new TmkDownload.Request(t.nextStan(), p.tid(), TestHost.MID, p.serial(), transport.code(),
                    algorithm, keys.publicKey()).toMessage(), null).message();
            TmkDownload.Response r = TmkDownload.Response.from(reply);
            assertThat(r.responseCode()).isEqualTo(ResponseCode.APPROVED);
            byte[] tmk = transport.decrypt(keys.privateKey(), r.encryptedTmk());
            assertThat(KeyCheckValue.matches(suite, tmk, r.checkValue())).isTrue();

            t.installTmk(tmk, suite);
            assertThat(t.signOn().responseCode()).as("the TMK is pending until confirmed").isEqualTo(ResponseCode.SECURITY_FAILURE);
            IsoMessage confirmed = t.exchange(new TmkDownload.Confirm(t.nextStan(), p.tid(), TestHost.MID, p.serial(),
                    KeyCheckValue.of(suite, tmk, 4)).toMessage(), null).message();
            assertThat(confirmed.string(39)).isEqualTo("00");
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
        }
    }

    @Test
    void downloadFromAnUnboundDeviceGets97() throws Exception {
        TestHost.Provisioned p = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, "SN-STOLEN", null, CipherSuite.TDES)) {
            IsoMessage reply = t.exchange(new TmkDownload.Request(t.nextStan(), p.tid(), TestHost.MID, "SN-STOLEN", 2, 1,
                    KeyTransport.SM2.generate().publicKey()).toMessage(), null).message();
            assertThat(reply.string(39)).isEqualTo("97");
            assertThat(reply.has(62)).isFalse();
        }
    }

    @Test
    void confirmationWithAWrongCheckValueGetsA7() throws Exception {
        TestHost.Provisioned p = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, p.serial(), null, CipherSuite.TDES)) {
            t.exchange(new TmkDownload.Request(t.nextStan(), p.tid(), TestHost.MID, p.serial(), 2, 1,
                    KeyTransport.SM2.generate().publicKey()).toMessage(), null);
            IsoMessage reply = t.exchange(new TmkDownload.Confirm(t.nextStan(), p.tid(), TestHost.MID, p.serial(),
                    new byte[] {1, 2, 3, 4}).toMessage(), null).message();
            assertThat(reply.string(39)).isEqualTo("A7");
        }
    }

    @Test
    void garbagePublicKeyOrTlvGets30() throws Exception {
        TestHost.Provisioned p = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, p.serial(), null, CipherSuite.TDES)) {
            IsoMessage badKey = t.exchange(new TmkDownload.Request(t.nextStan(), p.tid(), TestHost.MID, p.serial(), 1, 1,
                    new byte[] {0x30, 0x01, 0x00}).toMessage(), null).message();
            assertThat(badKey.string(39)).isEqualTo("30");
            IsoMessage badTlv = t.exchange(IsoMessage.builder(800).set(11, 9L).set(41, p.tid()).set(42, TestHost.MID)
                    .set(60, "00000000350").set(62, new byte[] {(byte) 0xDF, 0x01, 0x7F, 0x7F, 0x41}).build(), null).message();
            assertThat(badTlv.string(39)).isEqualTo("30");
        }
    }
}
