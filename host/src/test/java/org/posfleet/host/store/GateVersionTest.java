package org.posfleet.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.WrappedKey;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;

/**
 * The gate version changes with every change to what the gate decides on, whoever writes it, and with nothing else:
 * a posting admitted on a cached gate row confirms that row by this number alone.
 */
class GateVersionTest {

    private static final String MID = "898100000000937";
    private static final String PAN = "6225880000000001";

    private static long version(String tid) throws Exception {
        return HostApp.await(TestHost.shared().store().gate(tid)).gateVersion();
    }

    private static void sql(String statement, Object... args) throws Exception {
        HostApp.await(TestHost.shared().journal().pool().preparedQuery(statement).execute(Tuple.from(args)));
    }

    private record Change(String what, String statement, Object arg, boolean changesTheGate) {
    }

    @Test
    void everyChangeTheGateDecidesOnGivesANewVersionAndNothingElseDoes() throws Exception {
        HostApp host = TestHost.shared();
        String tid = "37000001";
        String other = TestHost.register().tid(); // the same kind of terminal, of another merchant
        HostApp.await(host.store().registerTerminal(tid, MID, "Gate merchant", "SN-GATE-1"));
        HostApp.await(host.store().setOperator(tid, 1, "operator", PasswordHasher.hash("123456".toCharArray(),
                TestHost.TEST_PASSWORD_ITERATIONS)));
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] c1 = new byte[16];
        byte[] c2 = new byte[16];
        random.nextBytes(c1);
        random.nextBytes(c2);
        long v = version(tid);
        WrappedKey tmk = host.securityModule().importTmk(List.of(c1, c2), CipherSuite.TDES);
        HostApp.await(host.store().loadTmk(tid, tmk, "ceremony"));
        assertThat(version(tid)).as("TMK loaded").isGreaterThan(v);

        byte[] clear = new byte[16];
        for (int i = 0; i < 16; i++) {
            clear[i] = (byte) (c1[i] ^ c2[i]);
        }
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), tid, MID, "SN-GATE-1", clear, CipherSuite.TDES)) {
            v = version(tid);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            assertThat(version(tid)).as("signed on: a new session").isGreaterThan(v);
            v = version(tid);
            assertThat(t.send(t.request(MessageKind.SALE, PAN, 100).toMessage()).message().string(39)).isEqualTo("00");
            long keyVersion = HostApp.await(host.store().gate(tid)).session().keyVersion();
            HostApp.await(host.store().addKeyUses(new String[] {tid}, new Long[] {keyVersion}, new Long[] {5L}));
            assertThat(version(tid)).as("a sale and the key uses it counted leave the gate as it was").isEqualTo(v);

            long others = version(other);
            for (Change c : List.of(
                    new Change("only the update time", "update terminal set updated_at = now() where tid = $1", tid, false),
                    new Change("the batch closed", "update terminal set batch_no = batch_no + 1 where tid = $1", tid, true),
                    new Change("the device unbound", "update terminal set device_serial = null where tid = $1", tid, true),
                    new Change("a device bound", "update terminal set device_serial = 'SN-GATE-1' where tid = $1", tid, true),
                    new Change("the terminal disabled", "update terminal set status = 'disabled' where tid = $1", tid, true),
                    new Change("the terminal enabled", "update terminal set status = 'active' where tid = $1", tid, true),
                    new Change("the merchant's name", "update merchant set name = 'Renamed' where mid = $1", MID, false),
                    new Change("the merchant disabled", "update merchant set status = 'disabled' where mid = $1", MID, true),
                    new Change("the merchant enabled", "update merchant set status = 'active' where mid = $1", MID, true),
                    new Change("the working keys' uses", "update terminal_session set uses = uses + 1 where tid = $1", tid, false),
                    new Change("new working keys", "update terminal_session set key_version = key_version + 1000 where tid = $1", tid, true),
                    new Change("the TMK re-wrapped", "update terminal_tmk set key_block = key_block where tid = $1", tid, true),
                    new Change("the session ended", "delete from terminal_session where tid = $1", tid, true),
                    new Change("the TMK removed", "delete from terminal_tmk where tid = $1", tid, true))) {
                long before = version(tid);
                sql(c.statement(), c.arg());
                if (c.changesTheGate()) {
                    assertThat(version(tid)).as(c.what()).isGreaterThan(before);
                } else {
                    assertThat(version(tid)).as(c.what()).isEqualTo(before);
                }
            }
            assertThat(version(other)).as("another merchant's terminal").isEqualTo(others);
        }
    }

    @Test
    void aTerminalWhoseTmkWasRemovedSinceItsLastSaleIsRefusedOnItsNextAndNothingIsPosted() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            assertThat(t.send(t.request(MessageKind.SALE, PAN, 100).toMessage()).message().string(39)).isEqualTo("00");
            sql("delete from terminal_tmk where tid = $1", t.tid()); // the session stays: only the TMK's trigger tells
            var request = t.request(MessageKind.SALE, PAN, 100);
            assertThat(t.send(request.toMessage()).message().string(39)).isNotEqualTo("00");
            assertThat(TestHost.journal(t.tid(), t.batch(), request.stan(), 2)).as("no journal row for the refused sale").isNull();
        }
    }
}
