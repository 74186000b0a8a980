package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.host.flow.CardTransactionFlowTest.RICH;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.fleet.terminal.SignaturePad;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Reversal;
import org.posfleet.protocol.message.SignatureUpload;

/** Reversals (idempotent, before or after their original, of voids) and e-signature upload and re-upload. */
class ReversalAndSignatureTest {

    @BeforeAll
    static void start() throws Exception {
        TestHost.shared();
    }

    @Test
    void reversalUndoesTheSaleAndRepeatingItChangesNothing() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 4200);
            t.send(sale.toMessage());
            IsoMessage reversal = Reversal.of(sale.toMessage(), ResponseCode.ISSUER_TIMEOUT);
            IsoMessage first = t.send(reversal).message();
            assertThat(first.mtiString()).isEqualTo("0410");
            assertThat(first.string(39)).isEqualTo("00");
            assertThat(t.replyMacValid(first)).isTrue();
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
            assertThat(TestHost.journal(t.tid(), 1, sale.stan(), 2).status()).isEqualTo("reversed");
            assertThat(t.send(reversal).message().string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).as("a repeated reversal restores nothing twice").isEqualTo(before);
        }
    }

    @Test
    void reversalOfAnOriginalNeverSeenIsAcknowledgedAndTheLateOriginalIsDeclinedNotPosted() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 4300);
            assertThat(t.send(Reversal.of(sale.toMessage(), ResponseCode.ISSUER_TIMEOUT)).message().string(39)).isEqualTo("00");
            IsoMessage late = t.send(sale.toMessage()).message();
            assertThat(late.string(39)).isEqualTo("12");
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
            assertThat(TestHost.journal(t.tid(), 1, sale.stan(), 2).status()).isEqualTo("declined");
        }
    }

    @Test
    void reversalOfAVoidPutsTheSaleBack() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            VoidAndOriginalsTest.Sale s = VoidAndOriginalsTest.sale(t, 1500);
            CardTransaction.Request voidRequest = VoidAndOriginalsTest.voidOf(t, MessageKind.SALE_VOID, s, 1500, "888888");
            assertThat(VoidAndOriginalsTest.code(t, voidRequest)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
            assertThat(t.send(Reversal.of(voidRequest.toMessage(), ResponseCode.ERROR)).message().string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(before - 1500);
            assertThat(TestHost.journal(t.tid(), 1, s.request().stan(), 2).status()).isEqualTo("posted");
        }
    }

    @Test
    void reversalOfADeclinedSaleIsAcknowledgedAndChangesNothing() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            long before = TestHost.balance(RICH);
            CardTransaction.Request sale = t.request(MessageKind.SALE, RICH, 1051);
            assertThat(t.send(sale.toMessage()).message().string(39)).isEqualTo("51");
            assertThat(t.send(Reversal.of(sale.toMessage(), ResponseCode.ERROR)).message().string(39)).isEqualTo("00");
            assertThat(TestHost.balance(RICH)).isEqualTo(before);
        }
    }

    @Test
    void signatureIsStoredAndReSigningReplacesItKeepingHistory() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            VoidAndOriginalsTest.Sale s = VoidAndOriginalsTest.sale(t, 1600);
            String rrn = s.reply().string(37);
            IsoMessage upload = new SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), RICH, 1600, rrn,
                    new byte[] {1, 2, 3}, SignaturePad.signature(0)).toMessage();
            IsoMessage first = t.send(upload).message();
            assertThat(first.string(39)).isEqualTo("00");
            assertThat(t.replyMacValid(first)).isTrue();
            assertThat(t.send(upload).message().string(39)).as("the same upload again").isEqualTo("00");
            IsoMessage again = new SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), RICH, 1600, rrn,
                    null, SignaturePad.signature(1)).toMessage();
            assertThat(t.send(again).message().string(39)).isEqualTo("00");
            long saleId = TestHost.journal(t.tid(), 1, s.request().stan(), 2).id();
            var journal = TestHost.shared().journal();
            int signatures = HostApp.await(journal.inTerminalTransaction(t.tid(), c -> journal.signatureCount(c, saleId)));
            assertThat(signatures).as("the current signature and one in history").isEqualTo(2);
        }
    }

    @Test
    void signatureForAnUnknownRrnGets25() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            IsoMessage upload = new SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), RICH, 1600, "999999999999",
                    null, SignaturePad.signature(2)).toMessage();
            assertThat(t.send(upload).message().string(39)).isEqualTo("25");
        }
    }

    @Test
    void signatureThatIsNotAJbigImageGets30() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            String rrn = VoidAndOriginalsTest.sale(t, 1700).reply().string(37);
            byte[] raw = new byte[48 * 20];
            byte[] cutShort = java.util.Arrays.copyOf(SignaturePad.signature(3), 30);
            byte[] huge = SignaturePad.signature(4);
            huge[4] = 0x10; // 268 million dots wide
            for (byte[] image : new byte[][] {raw, cutShort, huge}) {
                IsoMessage upload = new SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), RICH, 1700, rrn, null, image).toMessage();
                assertThat(t.send(upload).message().string(39)).isEqualTo("30");
            }
            IsoMessage good = new SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), RICH, 1700, rrn, null,
                    SignaturePad.signature(3)).toMessage();
            assertThat(t.send(good).message().string(39)).isEqualTo("00");
        }
    }
}
