package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.posfleet.host.flow.CardTransactionFlowTest.RICH;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.field.BatchUploadItems;
import org.posfleet.protocol.field.SettlementTotals;
import org.posfleet.protocol.message.BatchUpload;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.Settlement;

/** Settlement against the host's own totals, batch upload when they differ, and the batch moving on. */
class SettlementFlowTest {

    @BeforeAll
    static void start() throws Exception {
        TestHost.shared();
    }

    static Settlement.Response settle(BlockingTerminal t, long debit, int debits, long credit, int credits) throws Exception {
        SettlementTotals totals = new SettlementTotals(new SettlementTotals.Totals(debit, debits, credit, credits, 0), SettlementTotals.Totals.ZERO);
        return Settlement.Response.from(t.send(new Settlement.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), 1, totals, "156")
                .toMessage()).message());
    }

    @Test
    void settlementThatBalancesClosesTheBatchAndTheNextSignOnGivesTheNextBatch() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            t.send(t.request(MessageKind.SALE, RICH, 1000).toMessage());
            t.send(t.request(MessageKind.SALE, RICH, 2000).toMessage());
            Settlement.Response r = settle(t, 3000, 2, 0, 0);
            assertThat(r.responseCode().code()).isEqualTo("00");
            assertThat(r.balanced()).isTrue();
            assertThat(t.signOn().batch()).isEqualTo(2);
            assertThat(t.send(t.request(MessageKind.SALE, RICH, 100).toMessage()).message().string(39)).isEqualTo("00");
        }
    }

    @Test
    void settlementThatDoesNotBalanceAsksForBatchUploadWhoseEndClosesTheBatch() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            t.send(t.request(MessageKind.SALE, RICH, 1000).toMessage());
            Settlement.Response r = settle(t, 5000, 2, 0, 0);
            assertThat(r.balanced()).isFalse();
            assertThat(r.totals().domestic().result()).isEqualTo(SettlementTotals.RESULT_NOT_BALANCED);
            assertThat(t.signOn().batch()).as("the batch stays open while uploading").isEqualTo(1);

            BatchUploadItems items = new BatchUploadItems(List.of(new BatchUploadItems.Item(0, RICH, 1000)));
            assertThat(t.send(BatchUpload.Request.items(t.nextStan(), t.tid(), t.mid(), 1, items).toMessage()).message().string(39))
                    .isEqualTo("00");
            assertThat(t.send(BatchUpload.Request.end(t.nextStan(), t.tid(), t.mid(), 1, false, 1).toMessage()).message().string(39))
                    .isEqualTo("00");
            assertThat(t.signOn().batch()).isEqualTo(2);
        }
    }

    @Test
    void refundsCountAsCreditsAndVoidedSalesNotAtAll() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            VoidAndOriginalsTest.Sale kept = VoidAndOriginalsTest.sale(t, 4000);
            VoidAndOriginalsTest.Sale voided = VoidAndOriginalsTest.sale(t, 999);
            assertThat(VoidAndOriginalsTest.code(t, VoidAndOriginalsTest.voidOf(t, MessageKind.SALE_VOID, voided, 999, "888888")))
                    .isEqualTo("00");
            assertThat(VoidAndOriginalsTest.code(t, t.request(MessageKind.REFUND, RICH, 500).withOriginal(kept.reply().string(37), null,
                    null))).isEqualTo("00");
            assertThat(settle(t, 4000, 1, 500, 1).balanced()).isTrue();
        }
    }

    @Test
    void settlementOfAnotherBatchGets77() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            t.batch(9);
            assertThat(settle(t, 0, 0, 0, 0).responseCode().code()).isEqualTo("77");
        }
    }
}
