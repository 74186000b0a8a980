package org.posfleet.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.frame.Frame;
import org.posfleet.protocol.frame.FrameCodec;
import org.posfleet.protocol.frame.Tpdu;
import org.posfleet.crypto.PosEcbMac;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.NetworkManagement;
import org.posfleet.protocol.message.ResponseCode;

/** The link layer: connection styles, malformed and oversized frames, slow senders, pipelining, load. */
class TerminalConnectionTest {

    private static HostApp host;

    @BeforeAll
    static void start() throws Exception {
        host = TestHost.shared();
    }

    private static IsoMessage echo(BlockingTerminal t) {
        return new NetworkManagement.Request(MessageKind.ECHO_TEST, t.nextStan(), t.tid(), TestHost.MID, 1, null).toMessage();
    }

    @Test
    void echoTestIsAnsweredOnAPersistentConnection() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.register())) {
            for (int i = 0; i < 5; i++) {
                IsoMessage r = t.exchange(echo(t), null).message();
                assertThat(r.mtiString()).isEqualTo("0830");
                assertThat(r.string(39)).isEqualTo("00");
                assertThat(r.string(60)).endsWith("301");
            }
        }
    }

    @Test
    void oneConnectionPerTransactionWorksToo() throws Exception {
        TestHost.Provisioned p = TestHost.provision(CipherSuite.TDES);
        for (int i = 0; i < 3; i++) {
            try (BlockingTerminal t = TestHost.terminal(host.port(), p)) {
                assertThat(t.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
        }
    }

    @Test
    void replySwapsTheTpduAndKeepsTheHeader() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.register())) {
            Frame r = t.exchange(echo(t), null);
            assertThat(r.tpdu()).isEqualTo(BlockingTerminal.TPDU.reply());
            assertThat(r.header().applicationType()).isEqualTo(60);
        }
    }

    @Test
    void undecodableBodyGets30AndTheConnectionStaysUsable() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.register())) {
            byte[] good = FrameCodec.encode(new Frame(BlockingTerminal.TPDU, BlockingTerminal.HEADER, echo(t)));
            byte[] bad = good.clone();
            bad[2 + 11 + 10] = (byte) 0xAB; // field 11 is not BCD
            t.sendRaw(bad);
            IsoMessage r = t.readFrame().message();
            assertThat(r.mtiString()).isEqualTo("0830");
            assertThat(r.string(39)).isEqualTo("30");
            assertThat(t.exchange(echo(t), null).message().string(39)).isEqualTo("00");
        }
    }

    @Test
    void oversizedLengthClosesThatConnectionOnly() throws Exception {
        try (BlockingTerminal other = TestHost.terminal(host.port(), TestHost.register());
             BlockingTerminal hostile = TestHost.terminal(host.port(), TestHost.register())) {
            hostile.sendRaw(Bcd.fromHex("FFFF600003000060310031130108"));
            assertThat(hostile.closedByHost()).isTrue();
            assertThat(other.exchange(echo(other), null).message().string(39)).isEqualTo("00");
        }
    }

    @Test
    void frameNotCompletedWithinTheReadTimeoutClosesTheConnection() throws Exception {
        var cfg = TestHost.sharedConfig();
        try (HostApp strict = TestHost.another(cfg.withLimits(cfg.maxConnections(), cfg.maxFrameBody(), cfg.idleTimeout(), Duration.ofMillis(300)));
             BlockingTerminal t = TestHost.terminal(strict.port(), TestHost.register())) {
            byte[] frame = FrameCodec.encode(new Frame(BlockingTerminal.TPDU, BlockingTerminal.HEADER, echo(t)));
            t.sendRaw(java.util.Arrays.copyOf(frame, 10));
            long started = System.nanoTime();
            assertThat(t.closedByHost()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.register())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            List<Integer> stans = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                IsoMessage m = echo(t);
                stans.add((int) m.number(11));
                burst.writeBytes(FrameCodec.encode(new Frame(BlockingTerminal.TPDU, BlockingTerminal.HEADER, m)));
            }
            t.sendRaw(burst.toByteArray());
            for (int stan : stans) {
                assertThat(t.readFrame().message().number(11)).isEqualTo(stan);
            }
        }
    }

    @Test
    void terminalsSharingAConnectionDoNotWaitForEachOthersReplies() throws Exception {
        assertThat(heldSaleThenEcho(host)).as("the echo behind the held sale is answered first, each to its own line")
                .containsExactly("0830 to 2", "0210 00 to 1");
    }

    @Test
    void aConnectionWithItsRequestsInFlightAtTheLimitIsNotReadUntilOneIsAnswered() throws Exception {
        try (HostApp one = TestHost.another(TestHost.sharedConfig().toBuilder().maxInFlight(1).build())) {
            assertThat(heldSaleThenEcho(one)).as("the echo waits unread behind the held sale").containsExactly("0210 00 to 1", "0830 to 2");
        }
    }

    /**
     * A NAC's line: a sale of a signed-on terminal (TPDU source 1) whose posting waits for its advisory lock (see
     * CommitGroup), held by a connection of the test's own for a second, then another terminal's echo test (source 2).
     * The replies in the order they came back: MTI, response code of the sale, the line they were sent back to.
     */
    private static List<String> heldSaleThenEcho(HostApp target) throws Exception {
        TestHost.Provisioned slow = TestHost.provision(CipherSuite.TDES);
        try (BlockingTerminal signedOn = TestHost.terminal(target.port(), slow);
             BlockingTerminal nac = TestHost.terminal(target.port(), TestHost.register())) {
            assertThat(signedOn.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            IsoMessage sale = signedOn.request(MessageKind.SALE, "6225880000000001", 100).toMessage();
            var lock = io.vertx.sqlclient.Tuple.of(slow.tid());
            var connection = HostApp.await(target.journal().pool().getConnection());
            try {
                HostApp.await(connection.preparedQuery("select pg_advisory_lock(hashtext($1))").execute(lock));
                nac.sendRaw(FrameCodec.encode(new Frame(Tpdu.of(3, 1), BlockingTerminal.HEADER, sale),
                        new PosEcbMac(CipherSuite.TDES, signedOn.keys().mak())));
                Thread.sleep(300); // read by the host before the echo is sent
                nac.sendRaw(FrameCodec.encode(new Frame(Tpdu.of(3, 2), BlockingTerminal.HEADER, echo(nac))));
                Thread.sleep(1_000);
            } finally {
                HostApp.await(connection.preparedQuery("select pg_advisory_unlock(hashtext($1))").execute(lock));
                connection.close();
            }
            nac.socketTimeout(5_000);
            List<String> replies = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Frame r = nac.readFrame();
                replies.add(r.message().mtiString() + (r.message().mti() == 210 ? " " + r.message().string(39) : "") + " to "
                        + r.tpdu().destination());
            }
            return replies;
        }
    }

    @Test
    void floodOfPipelinedRequestsWithASlowReaderLosesNothingAndKeepsOrder() throws Exception {
        try (BlockingTerminal t = TestHost.terminal(host.port(), TestHost.register())) {
            int n = 5_000;
            List<IsoMessage> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(echo(t));
            }
            Thread writer = new Thread(() -> {
                try {
                    for (IsoMessage m : requests) {
                        t.sendRaw(FrameCodec.encode(new Frame(BlockingTerminal.TPDU, BlockingTerminal.HEADER, m)));
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            Thread.sleep(1_000); // replies pile up: the host must stop reading rather than buffer without bound
            for (IsoMessage m : requests) {
                IsoMessage r = t.readFrame().message();
                assertThat(r.number(11)).isEqualTo(m.number(11));
                assertThat(r.string(39)).isEqualTo("00");
            }
            writer.join();
        }
    }

    @Test
    void thousandConcurrentSignOnsAllSucceed() throws Exception {
        List<TestHost.Provisioned> terminals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            terminals.add(TestHost.provision(CipherSuite.TDES));
        }
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<ResponseCode>> results = new ArrayList<>();
            for (TestHost.Provisioned p : terminals) {
                results.add(pool.submit(() -> {
                    try (BlockingTerminal t = TestHost.terminal(host.port(), p)) {
                        return t.signOn().responseCode();
                    }
                }));
            }
            for (Future<ResponseCode> f : results) {
                assertThat(f.get()).isEqualTo(ResponseCode.APPROVED);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
