package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.host.flow.CardTransactionFlowTest.RICH;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.field.OriginalTransaction;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Reversal;

/** Voids guarded by the supervisor's void password, refunds, and the pre-authorization family. */
class VoidAndOriginalsTest {

    @BeforeAll
    static void start() throws Exception {
        TestHost.shared();
    }

    /** A posted sale: its request and reply. */
    record Sale(CardTransaction.Request request, IsoMessage reply) {
        OriginalTransaction original() {
            return OriginalTransaction.of(request.batch(), request.stan());
        }
    }

    static Sale sale(BlockingTerminal t, long amount) throws Exception {
        CardTransaction.Request r = t.request(MessageKind.SALE, RICH, amount);
        IsoMessage reply = t.send(r.toMessage()).message();
        assertThat(reply.string(39)).isEqualTo("00");
        return new Sale(r, reply);
    }

    static CardTransaction.Request voidOf(BlockingTerminal t, MessageKind kind, Sale s, long amount, String password) {
        return t.request(kind, RICH, amount).withOriginal(s.reply().string(37), s.reply().string(38), s.original())
                .withSupervisor(0, t.credentialBlock(password));
    }

    static String code(BlockingTerminal t, CardTransaction.Request r) throws Exception {
        return t.send(r.toMessage()).message().string(39);
    }

    @Test
    void voidWithTheSupervisorPasswordIsApprovedAndRestoresTheBalance() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            Sale s = sale(t, 1200);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
            assertThat(TestHost.journal(t.tid(), 1, s.request().stan(), 2).status()).isEqualTo("voided");
        }
    }

    @Test
    void voidOfAnUnknownOriginalOrWithAnotherRrnGets25() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            CardTransaction.Request unknown = t.request(MessageKind.SALE_VOID, RICH, 1200)
                    .withOriginal(null, null, OriginalTransaction.of(1, 999_000)).withSupervisor(0, t.credentialBlock("888888"));
            assertThat(code(t, unknown)).isEqualTo("25");
            CardTransaction.Request wrongRrn = t.request(MessageKind.SALE_VOID, RICH, 1200)
                    .withOriginal("000000000000", s.reply().string(38), s.original()).withSupervisor(0, t.credentialBlock("888888"));
            assertThat(code(t, wrongRrn)).isEqualTo("25");
        }
    }

    @Test
    void voidForAnotherAmountGets64() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1100, "888888"))).isEqualTo("64");
        }
    }

    @Test
    void secondVoidAndVoidOfAReversedSaleGet12() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("00");
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("12");
            Sale reversed = sale(t, 1300);
            assertThat(t.send(Reversal.of(reversed.request().toMessage(), ResponseCode.ERROR)).message().string(39)).isEqualTo("00");
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, reversed, 1300, "888888"))).isEqualTo("12");
        }
    }

    @Test
    void voidAfterSettlementGets12AndARefundWorksThen() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            SettlementFlowTest.settle(t, 1200, 1, 0, 0);
            t.batch(2);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("12");
            CardTransaction.Request refund = t.request(MessageKind.REFUND, RICH, 500).withOriginal(s.reply().string(37), null,
                    new OriginalTransaction(s.request().batch(), s.request().stan(), 1124, ""));
            assertThat(code(t, refund)).isEqualTo("00");
            CardTransaction.Request tooMuch = t.request(MessageKind.REFUND, RICH, 800).withOriginal(s.reply().string(37), null,
                    new OriginalTransaction(s.request().batch(), s.request().stan(), 1124, ""));
            assertThat(code(t, tooMuch)).as("only 7.00 is left to refund").isEqualTo("13");
        }
    }

    @Test
    void wrongSupervisorPasswordGets55AndLocksAfterRepeatedFailures() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            for (int i = 0; i < 4; i++) {
                assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "111111"))).isEqualTo("55");
            }
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "111111"))).isEqualTo("75");
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).as("locked").isEqualTo("75");
        }
    }

    private static int failedAttempts(String tid) throws Exception {
        return HostApp.await(TestHost.shared().store().operator(tid, 0)).failedAttempts();
    }

    @Test
    void aRepeatedVoidWithAWrongPasswordGetsItsStoredReplyAndCountsOneFailure() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            CardTransaction.Request wrong = voidOf(t, MessageKind.SALE_VOID, s, 1200, "111111");
            assertThat(code(t, wrong)).isEqualTo("55");
            assertThat(code(t, wrong)).as("the repeat is answered from the journal").isEqualTo("55");
            assertThat(failedAttempts(t.tid())).isEqualTo(1);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("00");
            assertThat(failedAttempts(t.tid())).as("reset by the right password, in the void's transaction").isZero();
        }
    }

    @Test
    void aVoidPasswordChangedSinceTheLastVoidIsCheckedAgainstTheNewOne() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale first = sale(t, 1200);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, first, 1200, "888888"))).isEqualTo("00");
            org.posfleet.host.HostApp.await(TestHost.shared().store().setOperator(t.tid(), 0, "supervisor",
                    org.posfleet.host.security.PasswordHasher.hash("777777".toCharArray(), 1000)));
            Sale second = sale(t, 1300);
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, second, 1300, "888888"))).as("the old password, remembered").isEqualTo("55");
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, second, 1300, "777777"))).isEqualTo("00");
            assertThat(TestHost.journal(t.tid(), 1, second.request().stan(), 2).status()).isEqualTo("voided");
        }
    }

    @Test
    void revokedVoidPasswordGets55() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            assertThat(org.posfleet.host.HostApp.await(TestHost.shared().store().removeOperator(t.tid(), 0))).isTrue();
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("55");
        }
    }

    @Test
    void voidWithoutASupervisorCredentialGets55() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            CardTransaction.Request bare = t.request(MessageKind.SALE_VOID, RICH, 1200).withOriginal(s.reply().string(37), null, s.original());
            assertThat(code(t, bare)).isEqualTo("55");
        }
    }

    @Test
    void preAuthorizationCompletionAndTheirVoidsMoveTheHoldAsExpected() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long start = TestHost.balance(RICH);
            CardTransaction.Request preauth = t.request(MessageKind.PREAUTH, RICH, 10_000);
            IsoMessage pa = t.send(preauth.toMessage()).message();
            assertThat(pa.string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(start - 10_000);
            OriginalTransaction paOriginal = OriginalTransaction.of(preauth.batch(), preauth.stan());

            CardTransaction.Request completion = t.request(MessageKind.COMPLETION, RICH, 8_000).withOriginal(null, pa.string(38),
                    new OriginalTransaction(preauth.batch(), preauth.stan(), 1124, ""));
            IsoMessage done = t.send(completion.toMessage()).message();
            assertThat(done.string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).as("the hold is released, the completion charged").isEqualTo(start - 8_000);

            CardTransaction.Request completionVoid = t.request(MessageKind.COMPLETION_VOID, RICH, 8_000)
                    .withOriginal(done.string(37), done.string(38), OriginalTransaction.of(completion.batch(), completion.stan()))
                    .withSupervisor(0, t.credentialBlock("888888"));
            assertThat(code(t, completionVoid)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).as("back to the pre-authorization's hold").isEqualTo(start - 10_000);

            CardTransaction.Request preauthVoid = t.request(MessageKind.PREAUTH_VOID, RICH, 10_000)
                    .withOriginal(pa.string(37), pa.string(38), paOriginal).withSupervisor(0, t.credentialBlock("888888"));
            assertThat(code(t, preauthVoid)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(start);
        }
    }

    @Test
    void completionOverThePreAuthorizedAmountGets13AndWithoutOneGets25() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            CardTransaction.Request preauth = t.request(MessageKind.PREAUTH, RICH, 5_000);
            t.send(preauth.toMessage());
            CardTransaction.Request over = t.request(MessageKind.COMPLETION, RICH, 6_000)
                    .withOriginal(null, null, new OriginalTransaction(preauth.batch(), preauth.stan(), 1124, ""));
            assertThat(code(t, over)).isEqualTo("13");
            CardTransaction.Request none = t.request(MessageKind.COMPLETION, RICH, 100)
                    .withOriginal(null, null, new OriginalTransaction(1, 999_001, 1124, ""));
            assertThat(code(t, none)).isEqualTo("25");
        }
    }

    /**
     * A void marks its original on the original's own page, even after the rows that followed have filled that page:
     * the journal keeps room on each page for that one update (an update moved to another page writes a new entry in
     * every index of the journal and logs the whole row).
     */
    @Test
    void aVoidMarksItsOriginalOnTheOriginalsOwnPageAfterThePageHasFilled() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            Sale s = sale(t, 1200);
            int page = journalPage(t.tid(), s.request().stan());
            boolean filled = false;
            for (int i = 0; i < 200 && !filled; i++) { // sales until one no longer fits on the original's page
                filled = journalPage(t.tid(), sale(t, 100).request().stan()) != page;
            }
            assertThat(filled).as("the original's page filled up").isTrue();
            assertThat(code(t, voidOf(t, MessageKind.SALE_VOID, s, 1200, "888888"))).isEqualTo("00");
            assertThat(TestHost.journal(t.tid(), 1, s.request().stan(), 2).status()).isEqualTo("voided");
            assertThat(journalPage(t.tid(), s.request().stan())).isEqualTo(page);
        }
    }

    /** The heap page a sale's journal row is on now. */
    private static int journalPage(String tid, int stan) throws Exception {
        var journal = TestHost.shared().journal();
        return HostApp.await(journal.inTerminalTransaction(tid, c -> c.preparedQuery(
                "select (ctid::text::point)[0]::int from journal where tid = $1 and batch_no = 1 and stan = $2 and message_class = 2")
                .execute(Tuple.of(tid, stan)).map(rows -> rows.iterator().next().getInteger(0))));
    }
}
