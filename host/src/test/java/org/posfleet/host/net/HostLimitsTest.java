package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.message.ResponseCode;

class HostLimitsTest {

    @Test
    void connectionsOverTheLimitAreClosedAndFreedPlacesAreReused() throws Exception {
        HostConfig cfg = TestHost.sharedConfig();
        try (HostApp limited = TestHost.another(cfg.withLimits(2, cfg.maxFrameBody(), cfg.idleTimeout(), cfg.readTimeout()))) {
            TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
            try (BlockingTerminal a = TestHost.terminal(limited.port(), p); BlockingTerminal b = TestHost.terminal(limited.port(), p)) {
                assertThat(a.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                try (BlockingTerminal c = TestHost.terminal(limited.port(), p)) {
                    assertThat(c.closedByHost()).isTrue();
                }
                assertThat(b.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
            Thread.sleep(200); // the host sees both closes
            try (BlockingTerminal d = TestHost.terminal(limited.port(), p)) {
                assertThat(d.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
        }
    }

    @Test
    void externalPostgresByUrlServesLikeTheEmbeddedOne() throws Exception {
        HostConfig cfg = TestHost.sharedConfig();
        String url = "postgresql://postgres:postgres@127.0.0.1:" + cfg.embeddedDbPort() + "/postgres";
        try (HostApp external = TestHost.another(cfg.withDatabase(cfg.dataDir().resolve("unused"), url, 0))) {
            try (BlockingTerminal t = TestHost.terminal(external.port(), TestHost.provision(CipherSuite.SM4))) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
        }
    }

    @Test
    void silentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        HostConfig cfg = TestHost.sharedConfig();
        try (HostApp strict = TestHost.another(cfg.withLimits(cfg.maxConnections(), cfg.maxFrameBody(), java.time.Duration.ofSeconds(1),
                cfg.readTimeout()));
             BlockingTerminal t = TestHost.terminal(strict.port(), TestHost.provision(CipherSuite.TDES))) {
            assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            long started = System.nanoTime();
            assertThat(t.closedByHost()).isTrue();
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(500L, 5_000L);
        }
    }
}
