package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.TrackData;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;

/** Stand-in authorization of card transactions, one rule per test, over TCP against the embedded PostgreSQL. */
class CardTransactionFlowTest {

    static final String RICH = "6225880000000001";
    static final String POOR = "6225880000000019";
    static final SecurityControl TDES_PIN = new SecurityControl(2, 6, 0);

    @BeforeAll
    static void start() throws Exception {
        TestHost.shared();
    }

    static IsoMessage send(BlockingTerminal t, CardTransaction.Request r) throws Exception {
        return t.send(r.toMessage()).message();
    }

    @Test
    void approvedSaleIsJournaledPostedAndAnsweredWithRrnAuthCodeAndMac() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 2500).withPin(t.pinBlock(RICH, "123456"), TDES_PIN);
            IsoMessage r = send(t, sale);
            assertThat(r.mtiString()).isEqualTo("0210");
            assertThat(r.string(39)).isEqualTo("00");
            assertThat(r.string(37)).matches("\\d{12}");
            assertThat(r.string(38)).matches("\\d{6}");
            assertThat(t.replyMacValid(r)).isTrue();
            JournalEntry row = TestHost.journal(t.tid(), 1, sale.stan(), 2);
            assertThat(row.status()).isEqualTo("posted");
            assertThat(row.rrn()).isEqualTo(r.string(37));
            assertThat(TestHost.balance(RICH)).isEqualTo(before - 2500);
        }
    }

    @Test
    void wrongPinGets55AndTheThirdWrongPinGets75EvenForTheRightPinAfter() throws Exception {
        String pan = "6217000000000001";
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            assertThat(send(t, t.request(MessageKind.SALE, pan, 100).withPin(t.pinBlock(pan, "000000"), TDES_PIN)).string(39)).isEqualTo("55");
            assertThat(send(t, t.request(MessageKind.SALE, pan, 100).withPin(t.pinBlock(pan, "123456"), TDES_PIN)).string(39))
                    .as("a right PIN resets the count").isEqualTo("00");
            for (int i = 0; i < 2; i++) {
                assertThat(send(t, t.request(MessageKind.SALE, pan, 100).withPin(t.pinBlock(pan, "000000"), TDES_PIN)).string(39)).isEqualTo("55");
            }
            assertThat(send(t, t.request(MessageKind.SALE, pan, 100).withPin(t.pinBlock(pan, "000000"), TDES_PIN)).string(39)).isEqualTo("75");
            assertThat(send(t, t.request(MessageKind.SALE, pan, 100).withPin(t.pinBlock(pan, "123456"), TDES_PIN)).string(39)).isEqualTo("75");
        }
    }

    @Test
    void pinBlockThatIsNotFormat0Gets99() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            byte[] block = t.pinBlock(RICH, "123456");
            block[3] ^= 0x5A;
            assertThat(send(t, t.request(MessageKind.SALE, RICH, 100).withPin(block, TDES_PIN)).string(39)).isEqualTo("99");
        }
    }

    @Test
    void swipedSaleWithATdkEncryptedTrackIsReadAndApproved() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            String clear = RICH + "D30121011234567890";
            String encrypted = TrackData.encrypt(CipherSuite.TDES, t.keys().tdk(), clear);
            assertThat(encrypted).isNotEqualTo(clear);
            CardTransaction.Request r = t.request(MessageKind.SALE, null, 300).withTracks(encrypted, null, "3012")
                    .withPin(t.pinBlock(RICH, "123456"), new SecurityControl(2, 6, 1));
            assertThat(send(t, r).string(39)).isEqualTo("00");
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({"9999999999999999, 100, 14", "6225880000000027, 100, 41", "6225880000000035, 100, 43", "6225880000000043, 100, 54",
            "6225880000000019, 20000, 51", "6225880000000001, 1051, 51", "6225880000000001, 1005, 05", "6225880000000001, 1096, 96",
            "6225880000000001, 1061, 61"})
    void cardStatusFundsAndAmountRulesGiveTheirCodes(String pan, long amount, String code) throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            assertThat(send(t, t.request(MessageKind.SALE, pan, amount)).string(39)).isEqualTo(code);
        }
    }

    @Test
    void amountEndingIn98GetsNoReplyAndTheTerminalsReversalIsAcknowledged() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 1098);
            t.socketTimeout(1_500);
            assertThat(t.trySend(sale.toMessage())).isNull();
            t.socketTimeout(20_000);
            IsoMessage reversal = org.posfleet.protocol.message.Reversal.of(sale.toMessage(), org.posfleet.protocol.message.ResponseCode.ISSUER_TIMEOUT);
            assertThat(t.send(reversal).message().string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
        }
    }

    @Test
    void balanceEnquiryAnswersTheBalanceIn54() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            IsoMessage r = send(t, t.request(MessageKind.BALANCE_ENQUIRY, POOR, -1).withPin(t.pinBlock(POOR, "123456"), TDES_PIN));
            assertThat(r.string(39)).isEqualTo("00");
            assertThat(r.string(54)).startsWith("1002156C").hasSize(20);
            assertThat(Long.parseLong(r.string(54).substring(8))).isEqualTo(TestHost.balance(POOR));
        }
    }

    @Test
    void repeatedRequestGetsTheStoredReplyAndPostsOnce() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            IsoMessage sale = t.request(MessageKind.SALE, RICH, 700).toMessage();
            IsoMessage first = t.send(sale).message();
            IsoMessage again = t.send(sale).message();
            assertThat(again.string(39)).isEqualTo("00");
            assertThat(again.string(37)).isEqualTo(first.string(37));
            assertThat(again.string(38)).isEqualTo(first.string(38));
            assertThat(t.replyMacValid(again)).isTrue();
            assertThat(TestHost.balance(RICH)).isEqualTo(before - 700);
        }
    }

    @Test
    void anotherRequestReusingAStanInTheBatchGets94() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 700);
            t.send(sale.toMessage());
            CardTransaction.Request other = CardTransaction.Request.of(MessageKind.SALE, RICH, 800, sale.stan(), t.batch(), t.tid(), t.mid());
            assertThat(t.send(other.toMessage()).message().string(39)).isEqualTo("94");
        }
    }

    @Test
    void requestForAnotherBatchGets77() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            t.batch(5);
            Frame r = t.send(t.request(MessageKind.SALE, RICH, 100).toMessage());
            assertThat(r.message().string(39)).isEqualTo("77");
            assertThat(r.header().processingRequirement()).isEqualTo(3);
        }
    }

    @Test
    void sm4TerminalSendsItsPinBlockInField62AndIsApproved() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.SM4)) {
            byte[] block = t.pinBlock(RICH, "123456");
            assertThat(block).hasSize(16);
            IsoMessage sale = t.request(MessageKind.SALE, RICH, 100).withPin(block, new SecurityControl(2, 4, 0)).toMessage();
            assertThat(sale.has(52)).isFalse();
            assertThat(Arrays.equals(sale.bytes(62), block)).isTrue();
            IsoMessage r = t.send(sale).message();
            assertThat(r.string(39)).isEqualTo("00");
            assertThat(t.replyMacValid(r)).isTrue();
        }
    }
}
