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
    void oneAddressOverItsLimitIsClosedAtAcceptWhileOtherAddressesAreServed() throws Exception {
        HostConfig cfg = TestHost.sharedConfig().withAddressLimits(new HostConfig.AddressLimits(2, 0));
        try (HostApp limited = TestHost.another(cfg)) {
            TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
            try (BlockingTerminal a = from("127.0.0.2", limited.port(), p); BlockingTerminal b = from("127.0.0.2", limited.port(), p);
                 BlockingTerminal elsewhere = from("127.0.0.1", limited.port(), p)) {
                assertThat(a.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                assertThat(b.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                try (BlockingTerminal third = from("127.0.0.2", limited.port(), p)) {
                    assertThat(third.closedByHost()).isTrue();
                }
                assertThat(elsewhere.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
            Thread.sleep(200); // the host sees the closes
            try (BlockingTerminal again = from("127.0.0.2", limited.port(), p)) {
                assertThat(again.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
            assertThat(limited.metrics().registry().scrape()).contains("posfleet_connections_refused_total{reason=\"address_full\"} 1.0");
        }
    }

    @Test
    void anAddressConnectingFasterThanItsRateIsRefusedAndOthersAreNot() throws Exception {
        HostConfig cfg = TestHost.sharedConfig().withAddressLimits(new HostConfig.AddressLimits(0, 5));
        try (HostApp limited = TestHost.another(cfg)) {
            TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
            int refused = 0;
            for (int i = 0; i < 30; i++) { // far faster than 5 a second: the burst of 10, then about one per 200 ms
                try (BlockingTerminal t = from("127.0.0.3", limited.port(), p)) {
                    assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
                } catch (java.io.IOException closedAtAccept) {
                    refused++;
                }
            }
            assertThat(refused).as("the burst of 10 always gets in; most of the rest is refused").isBetween(5, 20);
            try (BlockingTerminal other = from("127.0.0.1", limited.port(), p)) {
                assertThat(other.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
            assertThat(limited.metrics().registry().scrape()).contains("posfleet_connections_refused_total{reason=\"address_too_fast\"} " + refused + ".0");
        }
    }

    /** A terminal whose connection comes from {@code local}: every 127.x address is this machine's loopback. */
    private static BlockingTerminal from(String local, int port, TestHost.Provisioned p) throws Exception {
        javax.net.SocketFactory sockets = new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
                return new java.net.Socket(host, port, java.net.InetAddress.getByName(local), 0);
            }

            @Override
            public java.net.Socket createSocket(String host, int port, java.net.InetAddress a, int lp) throws java.io.IOException {
                return new java.net.Socket(host, port, a, lp);
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
                return new java.net.Socket(host, port, java.net.InetAddress.getByName(local), 0);
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress a, int lp) throws java.io.IOException {
                return new java.net.Socket(host, port, a, lp);
            }
        };
        return new BlockingTerminal(sockets, "127.0.0.1", port, p.tid(), TestHost.MID, p.serial(), p.tmk(), p.suite());
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
