package org.posfleet.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.message.ResponseCode;

/** The admin API over HTTP: authentication and roles, the unbind / rebind / new TMK / sign-on story, audit. */
class AdminApiTest {

    private static final String ADMIN = "admin-token-for-tests-0123456789";
    private static final String READER = "read-token-for-tests-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HostApp host;

    @BeforeAll
    static void tokens() throws Exception {
        host = TestHost.shared();
        AdminStore store = new AdminStore(host.journal().pool());
        HostApp.await(store.createToken("ops-admin", AdminServer.hash(ADMIN), "admin"));
        HostApp.await(store.createToken("ops-reader", AdminServer.hash(READER), "read"));
    }

    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static Reply call(HostApp h, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.adminPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    @Test
    void everyRouteNeedsATokenAndChangesNeedTheAdminRole() throws Exception {
        Reply none = call(host, "GET", "/api/terminals", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().getString("error")).contains("token");
        assertThat(call(host, "GET", "/api/terminals", "wrong", null).status()).isEqualTo(401);
        assertThat(call(host, "GET", "/api/terminals", READER, null).status()).isEqualTo(200);
        Reply forbidden = call(host, "POST", "/api/merchants", READER, "{\"mid\":\"898100000000777\"}");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(call(host, "POST", "/api/merchants", ADMIN, "{\"mid\":\"898100000000777\",\"name\":\"Shop\"}").status()).isEqualTo(200);
        assertThat(call(host, "POST", "/api/merchants", ADMIN, "{\"mid\":\"898100000000777\"}").status()).isEqualTo(409);
    }

    @Test
    void badRequestsGetJsonErrorsNeverStackTraces() throws Exception {
        Reply notJson = call(host, "POST", "/api/merchants", ADMIN, "not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().getString("error")).isNotBlank();
        assertThat(notJson.body()).doesNotContain("Exception").doesNotContain("at org.");
        assertThat(call(host, "POST", "/api/terminals", ADMIN, "{\"tid\":\"X\"}").status()).isEqualTo(400);
        assertThat(call(host, "GET", "/api/terminals/NOSUCH99", ADMIN, null).status()).isEqualTo(404);
        assertThat(call(host, "GET", "/api/nothing-here", ADMIN, null).status()).isEqualTo(404);
        assertThat(call(host, "GET", "/api/transactions?limit=0", ADMIN, null).status()).isEqualTo(400);
    }

    @Test
    void unbindRevokesTheDeviceAndDestroysKeysThenANewDeviceWithANewTmkSignsOn() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal old = TestHost.terminal(host.port(), p)) {
            assertThat(old.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
        }
        Reply unbound = call(host, "POST", "/api/terminals/" + p.tid() + "/unbind", ADMIN, "{\"reason\":\"screen broken\"}");
        assertThat(unbound.status()).isEqualTo(200);
        assertThat(unbound.json().getString("revokedSerial")).isEqualTo(p.serial());
        try (BlockingTerminal old = TestHost.terminal(host.port(), p)) {
            assertThat(old.signOn().responseCode()).as("the broken device is refused").isEqualTo(ResponseCode.TERMINAL_NOT_REGISTERED);
        }
        assertThat(call(host, "POST", "/api/terminals/" + p.tid() + "/bind", ADMIN, "{\"deviceSerial\":\"" + p.serial() + "\"}").status())
                .as("a revoked serial cannot come back").isEqualTo(409);
        String newSerial = p.serial() + "-NEW";
        assertThat(call(host, "POST", "/api/terminals/" + p.tid() + "/bind", ADMIN, "{\"deviceSerial\":\"" + newSerial + "\"}").status()).isEqualTo(200);

        byte[] tmk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF");
        try (BlockingTerminal replacement = new BlockingTerminal("127.0.0.1", host.port(), p.tid(), TestHost.MID, newSerial, tmk, CipherSuite.TDES)) {
            assertThat(replacement.signOn().responseCode()).as("the new device has no TMK yet").isEqualTo(ResponseCode.SECURITY_FAILURE);
            Reply loaded = call(host, "POST", "/api/terminals/" + p.tid() + "/tmk", ADMIN,
                    "{\"components\":[\"00112233445566778899AABBCCDDEEFF\",\"00000000000000000000000000000000\"]}");
            assertThat(loaded.status()).isEqualTo(200);
            assertThat(loaded.json().getString("checkValue")).hasSize(6);
            assertThat(loaded.body()).doesNotContainIgnoringCase("00112233445566778899AABBCCDDEEFF");
            assertThat(replacement.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
        }

        JsonObject t = call(host, "GET", "/api/terminals/" + p.tid(), READER, null).json();
        assertThat(t.getString("deviceSerial")).isEqualTo(newSerial);
        assertThat(t.getJsonArray("history").encode()).contains("unbound", "bound", "tmk loaded", "signed on");
        JsonArray audit = new JsonArray(call(host, "GET", "/api/audit?target=" + p.tid(), READER, null).body());
        assertThat(audit.encode()).contains("unbind device", "bind device", "load TMK", "ops-admin", "screen broken");
        assertThat(audit.encode()).doesNotContainIgnoringCase("00112233445566778899AABBCCDDEEFF");
    }

    @Test
    void voidPasswordIsSetResetAndRevokedThroughTheApiAndAudited() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        assertThat(call(host, "PUT", "/api/terminals/" + p.tid() + "/operators/0", ADMIN, "{\"password\":\"12345\",\"role\":\"supervisor\"}").status())
                .isEqualTo(400);
        assertThat(call(host, "PUT", "/api/terminals/" + p.tid() + "/operators/0", ADMIN, "{\"password\":\"888888\",\"role\":\"supervisor\"}").status())
                .isEqualTo(200);
        JsonObject t = call(host, "GET", "/api/terminals/" + p.tid(), READER, null).json();
        assertThat(t.getJsonArray("operators").encode()).contains("supervisor").doesNotContain("pbkdf2");
        assertThat(call(host, "DELETE", "/api/terminals/" + p.tid() + "/operators/0", ADMIN, null).status()).isEqualTo(200);
        String audit = call(host, "GET", "/api/audit?target=" + p.tid(), READER, null).body();
        assertThat(audit).contains("set supervisor 0", "remove operator 0").doesNotContain("888888");
    }

    @Test
    void repeatedFailedLoginsLockTheAddressOut() throws Exception {
        try (HostApp other = TestHost.another(TestHost.sharedConfig())) {
            for (int i = 0; i < AdminServer.MAX_LOGIN_FAILURES; i++) {
                assertThat(call(other, "GET", "/api/terminals", "guess-" + i, null).status()).isEqualTo(401);
            }
            assertThat(call(other, "GET", "/api/terminals", ADMIN, null).status()).as("even the right token, for a while").isEqualTo(429);
            var lockouts = other.metrics().registry().find("posfleet_password_failures").tag("who", "admin").tag("locked", "true").counter();
            assertThat(lockouts).isNotNull();
            assertThat(lockouts.count()).as("the lock-out is visible in the metrics").isEqualTo(1);
        }
    }

    @Test
    void metricsCountMessagesByKindAndCodeWithBoundedLabelsAndStatsFeedTheDashboard() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal t = TestHost.terminal(host.port(), p)) {
            t.signOn();
            t.sale(100, false);
        }
        Reply metrics = call(host, "GET", "/api/metrics", READER, null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("posfleet_messages_total{code=\"00\",kind=\"SALE\"}", "posfleet_message_latency",
                "posfleet_journal_commit", "posfleet_commit_group_members", "posfleet_terminal_connections", "vertx_");
        assertThat(metrics.body()).as("never a terminal or an address in a label").doesNotContain(p.tid()).doesNotContain("127.0.0.1:");
        assertThat(metrics.body()).as("each database pool under its own name").contains("pool_name=\"admin\",pool_type=\"sql\"",
                "pool_name=\"terminals-1\",pool_type=\"sql\"");
        assertThat(call(host, "GET", "/api/metrics", null, null).status()).isEqualTo(401);

        JsonObject stats = call(host, "GET", "/api/stats", READER, null).json();
        assertThat(stats.getJsonObject("kinds").getJsonObject("SALE").getDouble("count")).isPositive();
        assertThat(stats.getJsonArray("recentTransactions").size()).isPositive();
        assertThat(stats.getJsonArray("recentSignOns").encode()).contains("operator");
        Reply page = call(host, "GET", "/dashboard", null, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>posfleet host</title>", "/api/stats");
    }

    @Test
    void transactionShowsItsLinksAndSignaturesAsPngAndBatchesShowTheirTotals() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            var sale = t.request(org.posfleet.protocol.message.MessageKind.SALE, "6225880000000001", 2000);
            var reply = t.send(sale.toMessage()).message();
            String rrn = reply.string(37);
            for (int k = 0; k < 2; k++) {
                var upload = new org.posfleet.protocol.message.SignatureUpload.Request(t.nextStan(), t.tid(), t.mid(), t.batch(),
                        "6225880000000001", 2000, rrn, null, org.posfleet.fleet.terminal.SignaturePad.signature(k)).toMessage();
                assertThat(t.send(upload).message().string(39)).isEqualTo("00");
            }
            var refund = t.request(org.posfleet.protocol.message.MessageKind.REFUND, "6225880000000001", 500)
                    .withOriginal(rrn, null, null);
            assertThat(t.send(refund.toMessage()).message().string(39)).isEqualTo("00");

            long id = new JsonArray(call(host, "GET", "/api/transactions?rrn=" + rrn, READER, null).body()).getJsonObject(0).getLong("id");
            JsonObject tx = call(host, "GET", "/api/transactions/" + id, READER, null).json();
            assertThat(tx.getString("pan")).isEqualTo("622588******0001");
            assertThat(tx.getJsonArray("linked").encode()).contains("REFUND");
            JsonArray sigs = tx.getJsonArray("signatures");
            assertThat(sigs.size()).isEqualTo(2);
            assertThat(sigs.getJsonObject(1).getBoolean("current")).isTrue();
            assertThat(sigs.getJsonObject(0).getBoolean("current")).isFalse();
            HttpResponse<byte[]> png = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.adminPort() + "/api/signatures/"
                    + sigs.getJsonObject(1).getLong("id") + "/image.png")).header("Authorization", "Bearer " + READER).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(png.statusCode()).isEqualTo(200);
            var decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
            var signed = org.posfleet.fleet.terminal.SignaturePad.draw(1);
            assertThat(decoded.getWidth()).isEqualTo(384);
            assertThat(decoded.getHeight()).isEqualTo(120);
            int differing = 0;
            for (int y = 0; y < signed.height(); y++) {
                for (int x = 0; x < signed.width(); x++) {
                    boolean ink = (decoded.getRGB(x, y) & 0xFFFFFF) == 0;
                    differing += ink == (signed.get(x, y) == 1) ? 0 : 1;
                }
            }
            assertThat(differing).as("the PNG shows the strokes the terminal drew, dot for dot").isZero();
            assertThat(signed.blackPixels()).isGreaterThan(500);

            JsonObject open = call(host, "GET", "/api/terminals/" + t.tid() + "/batch", READER, null).json();
            assertThat(open.getLong("debitAmount")).isEqualTo(2000);
            assertThat(open.getLong("creditAmount")).isEqualTo(500);
            var totals = new org.posfleet.protocol.field.SettlementTotals(new org.posfleet.protocol.field.SettlementTotals.Totals(2000, 1, 500, 1, 0),
                    org.posfleet.protocol.field.SettlementTotals.Totals.ZERO);
            assertThat(t.send(new org.posfleet.protocol.message.Settlement.Request(t.nextStan(), t.tid(), t.mid(), t.batch(), 1, totals, "156")
                    .toMessage()).message().string(39)).isEqualTo("00");
            JsonArray batches = new JsonArray(call(host, "GET", "/api/batches?tid=" + t.tid(), READER, null).body());
            assertThat(batches.getJsonObject(0).getBoolean("balanced")).isTrue();
            assertThat(batches.getJsonObject(0).getString("status")).isEqualTo("settled");
        }
    }

    @Test
    void everyWriteRouteIsRefusedToReadersAndAuditedForAdmins() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        String mid = "8981000000" + String.format("%05d", (int) (System.nanoTime() % 100_000));
        String tid = p.tid();
        String newTid = "A" + tid.substring(1);
        // method, path, body, the audit action it must write, the audit target
        String[][] routes = {
                {"POST", "/api/merchants", "{\"mid\":\"" + mid + "\",\"name\":\"Audit shop\"}", "create merchant", mid},
                {"POST", "/api/terminals", "{\"tid\":\"" + newTid + "\",\"mid\":\"" + mid + "\"}", "create terminal", newTid},
                {"POST", "/api/merchants/" + mid + "/disable", null, "disable merchant", mid},
                {"POST", "/api/merchants/" + mid + "/enable", null, "enable merchant", mid},
                {"POST", "/api/terminals/" + tid + "/disable", null, "disable", tid},
                {"POST", "/api/terminals/" + tid + "/enable", null, "enable", tid},
                {"PUT", "/api/terminals/" + tid + "/operators/2", "{\"password\":\"246810\"}", "set operator 2", tid},
                {"POST", "/api/terminals/" + tid + "/operators/2/unlock", null, "unlock operator 2", tid},
                {"DELETE", "/api/terminals/" + tid + "/operators/2", null, "remove operator 2", tid},
                {"POST", "/api/terminals/" + tid + "/force-sign-on", null, "force sign-on", tid},
                {"POST", "/api/terminals/" + tid + "/reset-keys", null, "reset keys", tid},
                {"POST", "/api/terminals/" + tid + "/tmk", "{\"components\":[\"0123456789ABCDEF0123456789ABCDEF\",\"00000000000000000000000000000001\"]}",
                        "load TMK", tid},
                {"POST", "/api/terminals/" + tid + "/unbind", "{\"reason\":\"lost\"}", "unbind device", tid},
                {"POST", "/api/terminals/" + tid + "/bind", "{\"deviceSerial\":\"" + p.serial() + "-R\"}", "bind device", tid},
        };
        for (String[] r : routes) {
            assertThat(call(host, r[0], r[1], READER, r[2]).status()).as("reader on " + r[0] + " " + r[1]).isEqualTo(403);
            assertThat(call(host, r[0], r[1], null, r[2]).status()).as("no token on " + r[0] + " " + r[1]).isEqualTo(401);
        }
        for (String[] r : routes) {
            int before = new JsonArray(call(host, "GET", "/api/audit?target=" + r[4] + "&limit=1000", READER, null).body()).size();
            Reply done = call(host, r[0], r[1], ADMIN, r[2]);
            assertThat(done.status()).as(r[0] + " " + r[1] + ": " + done.body()).isEqualTo(200);
            JsonArray audit = new JsonArray(call(host, "GET", "/api/audit?target=" + r[4] + "&limit=1000", READER, null).body());
            assertThat(audit.size()).as("one audit entry for " + r[1]).isEqualTo(before + 1);
            JsonObject entry = audit.getJsonObject(0);
            assertThat(entry.getString("action")).isEqualTo(r[3]);
            assertThat(entry.getString("actor")).isEqualTo("ops-admin");
            assertThat(entry.getString("at")).isNotBlank();
            assertThat(entry.encode()).doesNotContain("246810").doesNotContainIgnoringCase("0123456789ABCDEF0123456789ABCDEF");
        }
        assertThat(new JsonArray(call(host, "GET", "/api/audit?target=" + tid + "&limit=1000", READER, null).body()).encode())
                .as("before and after are recorded where a state changes").contains("\"before\":\"active\"", "\"after\":\"disabled\"");
    }

    @Test
    void aDisabledMerchantsTerminalsAreRefusedUntilItIsEnabled() throws Exception {
        String tid = "M" + TestHost.register().tid().substring(1);
        String mid = "89810000000" + tid.substring(4);
        String serial = "SN-" + tid;
        assertThat(call(host, "POST", "/api/merchants", ADMIN, "{\"mid\":\"" + mid + "\",\"name\":\"Closing shop\"}").status()).isEqualTo(200);
        assertThat(call(host, "POST", "/api/terminals", ADMIN, "{\"tid\":\"" + tid + "\",\"mid\":\"" + mid + "\",\"deviceSerial\":\"" + serial + "\"}")
                .status()).isEqualTo(200);
        assertThat(call(host, "PUT", "/api/terminals/" + tid + "/operators/1", ADMIN, "{\"password\":\"123456\"}").status()).isEqualTo(200);
        assertThat(call(host, "POST", "/api/terminals/" + tid + "/tmk", ADMIN,
                "{\"components\":[\"00112233445566778899AABBCCDDEEFF\",\"00000000000000000000000000000000\"]}").status()).isEqualTo(200);
        byte[] tmk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF");
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), tid, mid, serial, tmk, CipherSuite.TDES)) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            long usesBefore = sessionUses(tid);
            assertThat(call(host, "POST", "/api/merchants/" + mid + "/disable", ADMIN, null).status()).isEqualTo(200);
            assertThat(t.sale(100, false).message().string(39)).isEqualTo(ResponseCode.INVALID_MERCHANT.code());
            assertThat(sessionUses(tid)).as("a refused message is not a use of the working keys").isEqualTo(usesBefore);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.INVALID_MERCHANT);
            JsonObject m = call(host, "GET", "/api/merchants/" + mid, READER, null).json();
            assertThat(m.getString("status")).isEqualTo("disabled");
            assertThat(m.getJsonArray("terminals").encode()).contains(tid);
            assertThat(call(host, "POST", "/api/merchants/" + mid + "/enable", ADMIN, null).status()).isEqualTo(200);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            assertThat(t.sale(100, false).message().string(39)).isEqualTo("00");
        }
        assertThat(call(host, "GET", "/api/merchants/000000000000000", READER, null).status()).isEqualTo(404);
        assertThat(call(host, "POST", "/api/merchants/000000000000000/disable", ADMIN, null).status()).isEqualTo(404);
    }

    private static long sessionUses(String tid) throws Exception {
        return HostApp.await(host.journal().pool().preparedQuery("select uses from terminal_session where tid = $1")
                .execute(io.vertx.sqlclient.Tuple.of(tid))).iterator().next().getLong(0);
    }

    @Test
    void transactionsAreFoundByDayRange() throws Exception {
        try (BlockingTerminal t = TestHost.signedOn(CipherSuite.TDES)) {
            t.sale(321, false);
        }
        java.time.LocalDate today = java.time.LocalDate.now();
        String q = "/api/transactions?limit=10000&from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        assertThat(call(host, "GET", q, READER, null).body()).contains("\"amount\":321");
        String past = "/api/transactions?from=2001-01-01&to=2001-01-31";
        assertThat(new JsonArray(call(host, "GET", past, READER, null).body())).isEmpty();
        assertThat(call(host, "GET", "/api/transactions?from=yesterday", READER, null).status()).isEqualTo(400);
        assertThat(call(host, "GET", "/api/transactions/abc", READER, null).status()).isEqualTo(400);
        assertThat(call(host, "POST", "/api/terminals/NOSUCH99/reset-keys", ADMIN, null).status()).isEqualTo(404);
        assertThat(call(host, "POST", "/api/terminals/NOSUCH99/disable", ADMIN, null).status()).isEqualTo(404);
    }

    @Test
    void openApiDocumentIsServed() throws Exception {
        Reply doc = call(host, "GET", "/api/openapi.json", null, null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().getString("openapi")).startsWith("3.");
        assertThat(doc.json().getJsonObject("paths").fieldNames()).contains("/api/terminals/{tid}/unbind", "/api/terminals/{tid}/tmk", "/api/lmk/rotate", "/api/merchants/{mid}/disable");
    }
}
