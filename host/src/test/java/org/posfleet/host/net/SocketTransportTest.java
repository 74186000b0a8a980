package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;

/** The host's sockets run on epoll where the host ships its library (Linux on x86-64 and ARM64), and say so at start. */
class SocketTransportTest {

    @Test
    void onLinuxTheHostServesOnEpollAndSaysSo() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch")), "epoll is shipped for Linux only");
        HostApp host = TestHost.shared();
        assertThat(host.vertx().isNativeTransportEnabled()).as("the library loaded").isTrue();
        assertThat(TestHost.logLines()).anyMatch(l -> l.contains("sockets: native transport (epoll)"));
    }

    @Test
    void withoutTheNativeTransportTheHostSaysNio() throws Exception {
        Vertx nio = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
        try {
            assertThat(nio.isNativeTransportEnabled()).isFalse();
            assertThat(HostApp.transport(nio, false)).isEqualTo("NIO");
        } finally {
            nio.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
