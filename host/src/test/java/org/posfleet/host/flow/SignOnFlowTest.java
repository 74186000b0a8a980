package org.posfleet.host.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.frame.Header;
import org.posfleet.protocol.message.NetworkCode;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.SignOn;

/** Sign-on over real TCP against the host on embedded PostgreSQL; the test plays the terminal. */
class SignOnFlowTest {

    private static HostApp host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.shared();
    }

    @ParameterizedTest(name = "60.3 = {0}: keys unwrap under the TMK and their check values verify")
    @ValueSource(ints = {NetworkCode.SIGN_ON_SINGLE_DES, NetworkCode.SIGN_ON_DOUBLE_DES, NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK})
    void tdesSignOnDeliversWorkingKeysWithCheckValues(int code) throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            SignOn.Response r = t.signOn(code, 1, "123456");
            assertThat(r.responseCode()).isEqualTo(ResponseCode.APPROVED);
            assertThat(r.keySuite()).isEqualTo(code);
            assertThat(r.batch()).isEqualTo(1);
            assertThat(r.time()).matches("\\d{6}");
            assertThat(r.date()).matches("\\d{4}");
            assertThat(t.keys().pik()).hasSize(code == NetworkCode.SIGN_ON_SINGLE_DES ? 8 : 16);
            assertThat(t.keys().tdk() != null).isEqualTo(code == NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK);
        }
    }

    @Test
    void sm4SignOnDeliversSm4KeysWithCheckValues() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.SM4))) {
            SignOn.Response r = t.signOn();
            assertThat(r.responseCode()).isEqualTo(ResponseCode.APPROVED);
            assertThat(r.workingKeys()).hasSize(60);
            assertThat(t.keys().mak()).hasSize(16);
            assertThat(KeyCheckValue.of(CipherSuite.SM4, t.keys().mak(), 4)).hasSize(4);
        }
    }

    @Test
    void eachSignOnIssuesFreshKeys() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            t.signOn();
            byte[] first = t.keys().mak().clone();
            t.signOn();
            assertThat(t.keys().mak()).isNotEqualTo(first);
        }
    }

    @Test
    void unknownTerminalGets97() throws Exception {
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "NOSUCH01", TestHost.MID, "SN-X", new byte[16], CipherSuite.TDES)) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.TERMINAL_NOT_REGISTERED);
        }
    }

    @Test
    void wrongMerchantGets03() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), "898100000000999", p.serial(), p.tmk(), p.suite())) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.INVALID_MERCHANT);
        }
    }

    @Test
    void signOnFromAnotherDeviceGets97() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, "SN-SOMEONE-ELSE", p.tmk(), p.suite())) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.TERMINAL_NOT_REGISTERED);
        }
    }

    @Test
    void terminalWithoutTmkGetsA7KeyNotLoaded() throws Exception {
        TestHost.Provisioned p = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, p.serial(), new byte[16], CipherSuite.TDES)) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.SECURITY_FAILURE);
            assertThat(t.sale(100, false).message().string(39)).isEqualTo("A7");
        }
    }

    @Test
    void wrongPasswordGets55AndRepeatedFailuresLockTheOperatorWith75() throws Exception {
        double lockoutsBefore = failures(host, "true");
        double failuresBefore = failures(host, "false");
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            for (int i = 1; i <= 4; i++) {
                assertThat(t.signOn(NetworkCode.SIGN_ON_DOUBLE_DES, 1, "654321").responseCode()).as("attempt %d", i)
                        .isEqualTo(ResponseCode.WRONG_PIN);
            }
            assertThat(t.signOn(NetworkCode.SIGN_ON_DOUBLE_DES, 1, "654321").responseCode()).isEqualTo(ResponseCode.PIN_TRIES_EXCEEDED);
            assertThat(t.signOn(NetworkCode.SIGN_ON_DOUBLE_DES, 1, "123456").responseCode())
                    .as("locked even with the right password").isEqualTo(ResponseCode.PIN_TRIES_EXCEEDED);
        }
        assertThat(failures(host, "false") - failuresBefore).as("brute force is visible: wrong passwords counted").isEqualTo(4);
        assertThat(failures(host, "true") - lockoutsBefore).as("and the lock-out").isEqualTo(1);
    }

    private static double failures(org.posfleet.host.HostApp h, String locked) {
        var c = h.metrics().registry().find("posfleet_password_failures").tag("who", "operator").tag("locked", locked).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void unknownOperatorGets55() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            assertThat(t.signOn(NetworkCode.SIGN_ON_DOUBLE_DES, 7, "123456").responseCode()).isEqualTo(ResponseCode.WRONG_PIN);
        }
    }

    @Test
    void sm4SignOnWithATdesTmkGets40() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            assertThat(t.signOn(NetworkCode.SIGN_ON_SM4, 1, "123456").responseCode()).isEqualTo(ResponseCode.FUNCTION_NOT_SUPPORTED);
        }
    }

    @Test
    void badMacGetsA0AndSignOnAgainThenTheRightMacPasses() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            t.signOn();
            var bad = t.sale(100, true);
            assertThat(bad.message().string(39)).isEqualTo("A0");
            long refused = org.posfleet.host.HostApp.await(TestHost.shared().journal().pool()
                    .preparedQuery("select count(*) from refused_message where tid = $1 and response_code = 'A0'")
                    .execute(io.vertx.sqlclient.Tuple.of(t.tid()))).iterator().next().getLong(0);
            assertThat(refused).as("the refused request is on record").isEqualTo(1);
            assertThat(bad.header().processingRequirement()).isEqualTo(Header.PR_SIGN_ON_AGAIN);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            var good = t.sale(100, false);
            assertThat(good.message().string(39)).as("MAC accepted, sale approved").isEqualTo("00");
            assertThat(good.message().has(64)).isTrue();
        }
    }

    @Test
    void macedMessageBeforeSignOnAsksForSignOn() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.provision(CipherSuite.TDES))) {
            var r = t.sale(100, false);
            assertThat(r.message().string(39)).isEqualTo("22");
            assertThat(r.header().processingRequirement()).isEqualTo(Header.PR_SIGN_ON_AGAIN);
        }
    }

    @Test
    void expiredKeysAskForSignOnWith22AndProcessingRequirement3() throws Exception {
        try (HostApp strict = TestHost.another(TestHost.sharedConfig().withKeyExpiry(java.time.Duration.ofHours(1), 2));
             BlockingTerminal t = TestHost.terminal(strict.port(), TestHost.provision(CipherSuite.TDES))) {
            t.signOn();
            assertThat(t.sale(1, false).message().string(39)).isEqualTo("00");
            assertThat(t.sale(1, false).message().string(39)).isEqualTo("00");
            var expired = t.sale(1, false);
            assertThat(expired.message().string(39)).isEqualTo("22");
            assertThat(expired.header().processingRequirement()).isEqualTo(Header.PR_SIGN_ON_AGAIN);
            t.signOn();
            assertThat(t.sale(1, false).message().string(39)).isEqualTo("00");
        }
    }

    @Test
    void keyUsesCountedAtTheGateReachTheSessionRowAndANewSignOnStartsAgainFromZero() throws Exception {
        HostApp host = TestHost.shared();
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal t = TestHost.terminal(host.port(), p)) {
            t.signOn();
            for (int i = 0; i < 6; i++) {
                assertThat(t.sale(1, false).message().string(39)).isEqualTo("00");
            }
            assertThat(awaitUses(host, p.tid(), 6)).as("written by the gate's once-a-second flush").isEqualTo(6);
            t.signOn();
            assertThat(t.sale(1, false).message().string(39)).isEqualTo("00");
            assertThat(awaitUses(host, p.tid(), 1)).as("the new keys' count, the old keys' uses dropped").isEqualTo(1);
        }
    }

    /** The session's stored use count once it reaches {@code expected}, or what it is after five seconds. */
    private static long awaitUses(HostApp host, String tid, long expected) throws Exception {
        long uses = -1;
        for (int i = 0; i < 50 && uses != expected; i++) {
            Thread.sleep(100);
            uses = HostApp.await(host.journal().pool().preparedQuery("select uses from terminal_session where tid = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(tid))).iterator().next().getLong(0);
        }
        return uses;
    }
}
