package org.posfleet.host.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.MessageKind;

/**
 * The gate admits a terminal's messages on the row it read last, and the posting confirms that row in its own
 * transaction: whatever changed in between (the terminal's status, its batch, its keys) is seen before anything is
 * written, and the message is decided again on a fresh read.
 */
class CachedGateTest {

    private static final String PAN = "6225880000000001";

    private static double rereads() throws Exception {
        return TestHost.shared().metrics().registry().get("posfleet_gate_rereads").counter().count();
    }

    private static void sql(String statement, String tid) throws Exception {
        HostApp.await(TestHost.shared().journal().pool().preparedQuery(statement).execute(Tuple.of(tid)));
    }

    private static IsoMessage sale(BlockingTerminal t) throws Exception {
        return t.send(t.request(MessageKind.SALE, PAN, 100).toMessage()).message();
    }

    @Test
    void aTerminalDisabledSinceItsLastSaleIsRefusedOnItsNextAndNothingIsPosted() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            assertThat(sale(t).string(39)).isEqualTo("00");
            double before = rereads();
            sql("update terminal set status = 'disabled' where tid = $1", t.tid());
            try {
                var request = t.request(MessageKind.SALE, PAN, 100);
                assertThat(t.send(request.toMessage()).message().string(39)).isEqualTo("58");
                assertThat(TestHost.journal(t.tid(), t.batch(), request.stan(), 2)).as("no journal row for the refused sale").isNull();
                assertThat(rereads()).as("the cached admission went back to the gate").isEqualTo(before + 1);
            } finally {
                sql("update terminal set status = 'active' where tid = $1", t.tid());
            }
        }
    }

    @Test
    void aVoidAdmittedOnAStaleRowGoesBackToTheGateAndItsPasswordFailureIsCountedOnce() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            IsoMessage sold = sale(t);
            assertThat(sold.string(39)).isEqualTo("00");
            double before = rereads();
            var wrong = t.request(MessageKind.SALE_VOID, PAN, 100).withOriginal(sold.string(37), sold.string(38),
                    org.posfleet.protocol.field.OriginalTransaction.of(t.batch(), (int) sold.number(11))).withSupervisor(0, t.credentialBlock("111111"));
            sql("update terminal set status = 'disabled' where tid = $1", t.tid());
            try {
                assertThat(t.send(wrong.toMessage()).message().string(39)).isEqualTo("58");
                assertThat(rereads()).as("the cached admission went back to the gate").isEqualTo(before + 1);
                assertThat(HostApp.await(TestHost.shared().store().operator(t.tid(), 0)).failedAttempts())
                        .as("a refused void checks no password").isZero();
            } finally {
                sql("update terminal set status = 'active' where tid = $1", t.tid());
            }
            var again = t.request(MessageKind.SALE_VOID, PAN, 100).withOriginal(sold.string(37), sold.string(38),
                    org.posfleet.protocol.field.OriginalTransaction.of(t.batch(), (int) sold.number(11))).withSupervisor(0, t.credentialBlock("111111"));
            assertThat(t.send(again.toMessage()).message().string(39)).isEqualTo("55");
            assertThat(HostApp.await(TestHost.shared().store().operator(t.tid(), 0)).failedAttempts()).isEqualTo(1);
        }
    }

    @Test
    void aBatchClosedElsewhereSinceTheLastSaleDoesNotRefuseASaleInTheNewBatch() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            assertThat(sale(t).string(39)).isEqualTo("00");
            sql("update terminal set batch_no = batch_no + 1 where tid = $1", t.tid()); // as a settlement on another host would
            t.batch(t.batch() + 1);
            assertThat(sale(t).string(39)).as("not 77 from the cached batch number").isEqualTo("00");
            sql("update terminal set batch_no = batch_no + 1 where tid = $1", t.tid());
            assertThat(sale(t).string(39)).as("the terminal's batch is now behind the host's").isEqualTo("77");
        }
    }

    @Test
    void keysReplacedBySignOnOnAnotherConnectionAreNoLongerAcceptedThoughTheOldOnesWereCached() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal first = TestHost.terminal(TestHost.shared().port(), p);
             BlockingTerminal second = TestHost.terminal(TestHost.shared().port(), p)) {
            assertThat(first.signOn().responseCode().code()).isEqualTo("00");
            assertThat(sale(first).string(39)).isEqualTo("00");
            second.continueStanAfter(first.nextStan());
            assertThat(second.signOn().responseCode().code()).isEqualTo("00");
            first.continueStanAfter(second.nextStan());
            assertThat(sale(first).string(39)).as("the old keys, MAC and all").isEqualTo("A0");
            second.continueStanAfter(first.nextStan());
            assertThat(sale(second).string(39)).isEqualTo("00");
        }
    }
}
