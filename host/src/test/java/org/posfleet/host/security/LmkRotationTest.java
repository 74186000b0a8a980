package org.posfleet.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.admin.AdminServer;
import org.posfleet.host.admin.AdminStore;
import org.posfleet.host.cli.HostCommand;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.field.SecurityControl;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import picocli.CommandLine;

/**
 * Rotating the host master key keeps every stored key usable (TMKs, working keys, the PIN verification key), on a
 * stopped host and on a running one, and the old components no longer open the host.
 */
class LmkRotationTest {

    private static final String CARD = "6225880000000001";
    private static final SecurityControl TDES_PIN = new SecurityControl(2, 6, 0);
    private static final String ADMIN = "rotation-admin-token-0123456789";
    private static final String READER = "rotation-reader-token-0123456789";

    @TempDir
    Path dir;

    private List<Path> components(String name) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path f = dir.resolve(name + "-" + i);
            Files.writeString(f, Bcd.hex(SoftwareSecurityModule.randomComponent()) + "\n");
            files.add(f);
        }
        return files;
    }

    @Test
    void tmksSurviveRotationAndTheOldLmkIsRefused() throws Exception {
        List<Path> oldLmk = components("old");
        List<Path> newLmk = components("new");
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, TestHost.freePort()).withTerminalPort(TestHost.freePort())
                .withAdminPort(-1).withPasswords(1000, 5).withInstances(1);
        byte[] tmk = Bcd.fromHex("00112233445566778899AABBCCDDEEFF");
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir))) {
            HostApp.await(host.store().registerTerminal("ROT00001", TestHost.MID, "rotation", "ROT-SN"));
            HostApp.await(host.store().loadTmk("ROT00001", host.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES), "ceremony"));
            HostApp.await(host.store().setOperator("ROT00001", 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
            try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00001", TestHost.MID, "ROT-SN", tmk, CipherSuite.TDES)) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                assertThat(pinSale(t)).isEqualTo("00");
            }
        }

        List<String> args = new ArrayList<>(List.of("rotate-lmk", "--data-dir", cfg.dataDir().toString(), "--db-port", String.valueOf(cfg.embeddedDbPort())));
        for (Path f : oldLmk) {
            args.add("--lmk-component-file");
            args.add(f.toString());
        }
        for (Path f : newLmk) {
            args.add("--new-lmk-component-file");
            args.add(f.toString());
        }
        assertThat(new CommandLine(new HostCommand()).execute(args.toArray(String[]::new))).isZero();

        assertThatThrownBy(() -> HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir)))
                .hasMessageContaining("wrapped under the LMK with check value");
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(newLmk, null, dir));
             BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00001", TestHost.MID, "ROT-SN", tmk, CipherSuite.TDES)) {
            t.continueStanAfter(100);
            assertThat(t.signOn().responseCode()).as("the same TMK, now under the new LMK").isEqualTo(ResponseCode.APPROVED);
            assertThat(pinSale(t)).as("PIN verification values survive: the PIN verification key was re-wrapped").isEqualTo("00");
        }
    }

    @Test
    void aRunningHostRotatesThroughTheAdminApiAndTerminalsKeepTheirSessions() throws Exception {
        List<Path> oldLmk = components("old");
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, TestHost.freePort()).withTerminalPort(TestHost.freePort())
                .withAdminPort(0).withPasswords(1000, 5).withInstances(2);
        byte[] tmk = Bcd.fromHex("0123456789ABCDEFFEDCBA9876543210");
        byte[] c1 = SoftwareSecurityModule.randomComponent();
        byte[] c2 = SoftwareSecurityModule.randomComponent();
        String rotate = "{\"components\":[\"" + Bcd.hex(c1) + "\",\"" + Bcd.hex(c2) + "\"]}";
        String newCheckValue;
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir))) {
            AdminStore admin = new AdminStore(host.journal().pool());
            HostApp.await(admin.createToken("custodians", AdminServer.hash(ADMIN), "admin"));
            HostApp.await(admin.createToken("viewer", AdminServer.hash(READER), "read"));
            HostApp.await(host.store().registerTerminal("ROT00002", TestHost.MID, "rotation", "ROT-SN-2"));
            HostApp.await(host.store().loadTmk("ROT00002", host.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES), "ceremony"));
            HostApp.await(host.store().setOperator("ROT00002", 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
            String oldCheckValue = host.securityModule().lmkCheckValue();
            try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00002", TestHost.MID, "ROT-SN-2", tmk, CipherSuite.TDES)) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                assertThat(pinSale(t)).isEqualTo("00");

                assertThat(post(host, READER, rotate).statusCode()).as("rotation needs the admin role").isEqualTo(403);
                assertThat(post(host, ADMIN, "{\"components\":[\"00\",\"11\"]}").statusCode()).isEqualTo(400);
                HttpResponse<String> done = post(host, ADMIN, rotate);
                assertThat(done.statusCode()).isEqualTo(200);
                JsonObject r = new JsonObject(done.body());
                newCheckValue = r.getString("toCheckValue");
                assertThat(r.getString("fromCheckValue")).isEqualTo(oldCheckValue);
                assertThat(newCheckValue).isEqualTo(SoftwareSecurityModule.aesCheckValue(xor(c1, c2))).isNotEqualTo(oldCheckValue);
                assertThat(r.getInteger("tmks")).isEqualTo(1);
                assertThat(r.getInteger("sessions")).isEqualTo(1);
                assertThat(done.body()).doesNotContainIgnoringCase(Bcd.hex(c1)).doesNotContainIgnoringCase(Bcd.hex(c2));

                assertThat(pinSale(t)).as("the session's working keys and the PIN verification key were re-wrapped in place").isEqualTo("00");
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                assertThat(pinSale(t)).isEqualTo("00");
                assertThat(post(host, ADMIN, rotate).statusCode()).as("the new LMK is already the current one").isEqualTo(400);
            }
            String audit = HostApp.await(admin.auditLog("host", 10)).encode();
            assertThat(audit).contains("rotate LMK", "custodians", oldCheckValue, newCheckValue).doesNotContainIgnoringCase(Bcd.hex(c1));
        }
        assertThatThrownBy(() -> HostApp.start(cfg, LmkComponents.load(oldLmk, null, dir))).hasMessageContaining(newCheckValue);
        Path f1 = dir.resolve("new-1");
        Path f2 = dir.resolve("new-2");
        Files.writeString(f1, Bcd.hex(c1));
        Files.writeString(f2, Bcd.hex(c2));
        try (HostApp host = HostApp.start(cfg, LmkComponents.load(List.of(f1, f2), null, dir));
             BlockingTerminal t = new BlockingTerminal("127.0.0.1", host.port(), "ROT00002", TestHost.MID, "ROT-SN-2", tmk, CipherSuite.TDES)) {
            t.continueStanAfter(100);
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            assertThat(pinSale(t)).isEqualTo("00");
        }
    }

    private static String pinSale(BlockingTerminal t) throws Exception {
        var sale = t.request(MessageKind.SALE, CARD, 100).withPin(t.pinBlock(CARD, "123456"), TDES_PIN);
        return t.send(sale.toMessage()).message().string(39);
    }

    private static HttpResponse<String> post(HostApp host, String token, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.adminPort() + "/api/lmk/rotate"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= b[i];
        }
        return out;
    }
}
