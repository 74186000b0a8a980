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
}
