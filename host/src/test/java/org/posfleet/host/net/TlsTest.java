package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.message.ResponseCode;

/**
 * TLS on the terminal port and the admin port (JDK TLS, a PKCS#12 key store): a terminal that trusts the host's
 * certificate signs on and is approved over TLS; a plain-TCP terminal is not served; the admin API answers over
 * HTTPS only.
 */
class TlsTest {

    private static final String PASSWORD = "keystore-pass-123";

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool, as an operator would. */
    private Path keyStore() throws Exception {
        return keyStoreIn(dir);
    }

    private static Path keyStoreIn(Path dir) throws Exception {
        Path ks = dir.resolve("host.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", "host",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=posfleet test host", "-ext", "SAN=ip:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(out).isZero();
        return ks;
    }

    private static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void terminalAndAdminPortsSpeakTlsOnly() throws Exception {
        Path ks = keyStore();
        SSLContext trust = trusting(ks);
        HostConfig cfg = TestHost.sharedConfig().withTerminalPort(0).withAdminPort(0).withTls(new HostConfig.Tls(ks, PASSWORD));
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        try (HostApp host = TestHost.another(cfg)) {
            try (BlockingTerminal t = new BlockingTerminal(trust.getSocketFactory(), "127.0.0.1", host.port(), p.tid(), TestHost.MID, p.serial(),
                    p.tmk(), CipherSuite.TDES)) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                assertThat(t.sale(100, false).message().string(39)).isEqualTo("00");
            }
            try (BlockingTerminal plain = TestHost.terminal(host.port(), p)) {
                plain.socketTimeout(2_000);
                assertThatThrownBy(plain::signOn).as("a plain-TCP terminal gets no answer").isInstanceOf(IOException.class);
            }
            HttpResponse<String> https = HttpClient.newBuilder().sslContext(trust).build().send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + host.adminPort() + "/api/openapi.json")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(https.statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.adminPort()
                    + "/api/openapi.json")).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
        assertThat(List.of(cfg.tls().toString())).noneMatch(s -> s.contains(PASSWORD));
    }

    @Test
    void fleetSimulatorDrivesItsTerminalsOverTlsAndRefusesAnUntrustedHost() throws Exception {
        Path ks = keyStore();
        Path passwordFile = Files.writeString(dir.resolve("truststore-password"), PASSWORD + "\n");
        TestHost.provisionFleet(dir, 35000001, 10, "00112233445566778899AABBCCDDEEFF");
        HostConfig cfg = TestHost.sharedConfig().withTerminalPort(0).withAdminPort(-1).withTls(new HostConfig.Tls(ks, PASSWORD));
        try (HostApp host = TestHost.another(cfg)) {
            String[] run = {"run", "--port", String.valueOf(host.port()), "--terminals", "10", "--first-tid", "35000001", "--fleet-key",
                    "00112233445566778899AABBCCDDEEFF", "--rate", "40", "--duration", "3", "--warmup", "1", "--mix", "sale=80,void=20", "--max-lag", "1000",
                    "--report", dir.resolve("report").toString(), "--tls-truststore", ks.toString(), "--tls-truststore-password-file",
                    passwordFile.toString()};
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            java.io.PrintStream stdout = System.out;
            System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    printed.write(b);
                    stdout.write(b);
                }
            }, true));
            int exit;
            try {
                exit = new picocli.CommandLine(new org.posfleet.fleet.cli.FleetCommand()).execute(run);
            } finally {
                System.setOut(stdout);
            }
            assertThat(exit).as(printed.toString()).isZero();
            assertThat(printed.toString()).contains("over TLS");
            String summary = Files.readString(dir.resolve("report").resolve("summary.json"));
            assertThat(summary).contains("\"SALE\"");

            // the same fleet trusting another certificate: no terminal gets through the handshake
            Path other = dir.resolve("other");
            Files.createDirectories(other);
            Path otherKs = keyStoreIn(other);
            run[run.length - 3] = otherKs.toString();
            run[run.length - 5] = dir.resolve("report-untrusted").toString();
            printed.reset();
            System.setOut(new java.io.PrintStream(printed, true));
            try {
                exit = new picocli.CommandLine(new org.posfleet.fleet.cli.FleetCommand()).execute(run);
            } finally {
                System.setOut(stdout);
            }
            assertThat(exit).as("a host whose certificate is not trusted is not talked to").isNotZero();
            assertThat(printed.toString()).contains("signed on: 0 of 10").containsPattern("connect failed \\(\\w*(SSL|Handshake)\\w*\\)");
        }
    }
}
