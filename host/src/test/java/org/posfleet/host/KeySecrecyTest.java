package org.posfleet.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.KeyCheckValue;
import org.posfleet.crypto.KeyTransport;
import org.posfleet.host.support.TestHost;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.TmkDownload;

/**
 * After key ceremonies, remote downloads and sign-ons, no clear key the test knows (TMKs, PIKs, MAKs, TDKs),
 * nor the operator password, appears anywhere in the database or in the host's logs; and after a whole fleet
 * scenario (every kind of transaction, every fault, settlement), none of the fleet's keys and passwords appears
 * in the database, the logs or any admin API answer.
 */
class KeySecrecyTest {

    private static final String PASSWORD = "97531864";
    private static final String FLEET_KEY = "5A5B5C5D5E5F60616263646566676869";
    private static final String FLEET_PASSWORD = "86420975";
    private static final String FLEET_VOID_PASSWORD = "75318642";
    private static final String TOKEN = "secrecy-audit-token-0123456789abcdef";

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void aWholeFleetScenarioLeavesNoKeyOrPasswordInDatabaseLogsOrApi() throws Exception {
        HostApp host = TestHost.shared();
        var cfg = TestHost.sharedConfig();
        long firstTid = 34000001;
        int terminals = 12;
        TestHost.provisionFleet(dir, firstTid, terminals, FLEET_KEY, "--password", FLEET_PASSWORD, "--void-password", FLEET_VOID_PASSWORD);
        var fleet = new org.posfleet.fleet.load.FleetConfig("127.0.0.1", host.port(), terminals, firstTid, TestHost.MID, "FLEET-",
                HexFormat.of().parseHex(FLEET_KEY), FLEET_PASSWORD, FLEET_VOID_PASSWORD, 30, 1, 4,
                org.posfleet.fleet.load.Mix.parse("sale=40,balance=10,void=15,signature=10,refund=10,preauth=10,preauth_void=5"), 3, 10_000,
                1_000, null, 1, 200, org.posfleet.fleet.load.Fault.Plan.parse("bad-mac=5,wrong-password=5,duplicate=5,late-reversal=5"),
                null, false, false);
        var report = new org.posfleet.fleet.load.FleetRun(fleet, new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true)).run();
        assertThat(report.mismatches()).isEmpty();

        List<byte[]> secrets = new ArrayList<>();
        secrets.add(HexFormat.of().parseHex(FLEET_KEY));
        for (int i = 0; i < terminals; i++) {
            secrets.add(org.posfleet.crypto.FleetKeys.tmkFor(HexFormat.of().parseHex(FLEET_KEY), String.format("%08d", firstTid + i)));
        }
        for (java.nio.file.Path f : TestHost.lmkComponentFiles(dir)) {
            secrets.add(HexFormat.of().parseHex(java.nio.file.Files.readString(f).strip()));
        }
        HostApp.await(new org.posfleet.host.admin.AdminStore(host.journal().pool()).createToken("secrecy-audit",
                org.posfleet.host.admin.AdminServer.hash(TOKEN), "read"));
        StringBuilder api = new StringBuilder();
        String tid = String.format("%08d", firstTid);
        for (String path : List.of("/api/terminals?limit=10000", "/api/terminals/" + tid, "/api/transactions?limit=10000&tid=" + tid,
                "/api/batches?tid=" + tid, "/api/audit?limit=10000", "/api/stats", "/api/metrics", "/api/merchants", "/api/openapi.json")) {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + host.adminPort() + path)).header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            api.append(r.body()).append('\n');
        }
        String dump = dumpDatabase(host);
        String logs = String.join("\n", TestHost.logLines());
        assertThat(dump).contains(tid);
        assertThat(api.toString()).contains(tid);
        for (byte[] secret : secrets) {
            for (String form : forms(secret)) {
                assertThat(dump).as("database").doesNotContainIgnoringCase(form);
                assertThat(logs).as("logs").doesNotContainIgnoringCase(form);
                assertThat(api.toString()).as("admin API").doesNotContainIgnoringCase(form);
            }
        }
        for (String password : List.of(FLEET_PASSWORD, FLEET_VOID_PASSWORD)) {
            assertThat(dump).as("database").doesNotContain(password);
            assertThat(logs).as("logs").doesNotContain(password);
            assertThat(api.toString()).as("admin API").doesNotContain(password);
        }
    }

    @Test
    void databaseAndLogsHoldNoClearKeyOrPassword() throws Exception {
        HostApp host = TestHost.shared();
        List<byte[]> secrets = new ArrayList<>();
        for (CipherSuite suite : CipherSuite.values()) {
            TestHost.Provisioned p = TestHost.provision(suite);
            secrets.add(p.tmk());
            // a password no other test's data (STANs, amounts, RRNs) can contain by chance
            HostApp.await(host.store().setOperator(p.tid(), 2, "operator",
                    org.posfleet.host.security.PasswordHasher.hash(PASSWORD.toCharArray(), TestHost.TEST_PASSWORD_ITERATIONS)));
            try (BlockingTerminal t = TestHost.terminal(host.port(), p)) {
                int code = suite == CipherSuite.SM4 ? org.posfleet.protocol.message.NetworkCode.SIGN_ON_SM4
                        : org.posfleet.protocol.message.NetworkCode.SIGN_ON_DOUBLE_DES_WITH_TDK;
                assertThat(t.signOn(code, 2, PASSWORD).responseCode()).isEqualTo(ResponseCode.APPROVED);
                secrets.add(t.keys().pik());
                secrets.add(t.keys().mak());
                secrets.add(t.keys().tdk());
                t.sale(1, true); // a MAC error is logged: the log line must not carry the MAK
            }
        }
        TestHost.Provisioned remote = TestHost.register();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), remote.tid(), TestHost.MID, remote.serial(), null, CipherSuite.TDES)) {
            KeyTransport.KeyPairDer kp = KeyTransport.RSA_OAEP_SHA256.generate();
            var r = TmkDownload.Response.from(t.exchange(new TmkDownload.Request(t.nextStan(), remote.tid(), TestHost.MID,
                    remote.serial(), 1, 1, kp.publicKey()).toMessage(), null).message());
            byte[] tmk = KeyTransport.RSA_OAEP_SHA256.decrypt(kp.privateKey(), r.encryptedTmk());
            secrets.add(tmk);
            t.installTmk(tmk, CipherSuite.TDES);
            t.exchange(new TmkDownload.Confirm(t.nextStan(), remote.tid(), TestHost.MID, remote.serial(),
                    KeyCheckValue.of(CipherSuite.TDES, tmk, 4)).toMessage(), null);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            secrets.add(t.keys().mak());
        }

        String dump = dumpDatabase(host);
        String logs = String.join("\n", TestHost.logLines());
        assertThat(dump).contains(remote.tid()); // the dump is real
        assertThat(logs).contains("MAC does not verify"); // and so are the logs
        for (byte[] secret : secrets) {
            for (String form : forms(secret)) {
                assertThat(dump).as("database").doesNotContainIgnoringCase(form);
                assertThat(logs).as("logs").doesNotContainIgnoringCase(form);
            }
        }
        assertThat(dump).doesNotContain(PASSWORD);
        assertThat(logs).doesNotContain(PASSWORD);
    }

    /** Hex and Base64 of the key, and of each 8-byte half (a DES key on its own). */
    private static List<String> forms(byte[] key) {
        List<String> out = new ArrayList<>();
        out.add(HexFormat.of().formatHex(key));
        out.add(java.util.Base64.getEncoder().encodeToString(key));
        for (int i = 0; i + 8 <= key.length; i += 8) {
            out.add(HexFormat.of().formatHex(key, i, i + 8));
        }
        return out;
    }

    /** Every row of every table of the schema, as JSON text. */
    private static String dumpDatabase(HostApp host) throws Exception {
        var cfg = TestHost.sharedConfig();
        Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(cfg.embeddedDbPort())
                .setDatabase("postgres").setUser("postgres").setPassword("postgres")).using(host.vertx()).build();
        try {
            StringBuilder sb = new StringBuilder();
            for (Row t : HostApp.await(pool.query("select table_name from information_schema.tables where table_schema = 'public'").execute())) {
                for (Row r : HostApp.await(pool.query("select row_to_json(x)::text from \"" + t.getString(0) + "\" x").execute())) {
                    sb.append(r.getString(0)).append('\n');
                }
            }
            return sb.toString();
        } finally {
            HostApp.await(pool.close());
        }
    }
}
