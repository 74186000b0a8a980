package org.posfleet.perf.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.SoftwareSecurityModule;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;

/**
 * A first end-to-end measure until the fleet simulator exists: N blocking terminals in one process send
 * sales back to back (closed loop: each waits for its reply, so latencies are service times, not what an
 * open-loop arrival rate would see) against a host on its embedded PostgreSQL in the same process, once with
 * group commit and once without, in one run.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.e2e.SaleThroughput [terminals] [seconds]</pre>
 */
public final class SaleThroughput {

    private static final String MID = "898100000000001";

    public static void main(String[] args) throws Exception {
        int terminals = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.printf("%d terminals, %d s per mode, closed loop, host and terminals in one process on %d cores%n",
                terminals, seconds, Runtime.getRuntime().availableProcessors());
        for (boolean group : new boolean[] {true, false}) {
            run(group, terminals, seconds);
        }
    }

    private static void run(boolean groupCommit, int terminals, int seconds) throws Exception {
        Path dir = Files.createTempDirectory("posfleet-e2e");
        HostConfig cfg = HostConfig.defaults().withDatabase(dir, null, freePort()).withTerminalPort(freePort())
                .withGroupCommit(groupCommit).withAdminPort(-1).withKeyExpiry(java.time.Duration.ofHours(1), Long.MAX_VALUE);
        var lmk = new LmkComponents.Loaded(List.of(SoftwareSecurityModule.randomComponent(), SoftwareSecurityModule.randomComponent()), "perf");
        try (HostApp host = HostApp.start(cfg, lmk)) {
            byte[] tmk = new byte[16];
            new java.security.SecureRandom().nextBytes(tmk);
            String hash = PasswordHasher.hash("123456".toCharArray(), 1000);
            for (int i = 0; i < terminals; i++) {
                String tid = String.format("P%07d", i);
                HostApp.await(host.store().registerTerminal(tid, MID, "perf", "PERF-" + i));
                HostApp.await(host.store().loadTmk(tid, host.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES), "ceremony"));
                HostApp.await(host.store().setOperator(tid, 1, "operator", hash));
                // a card per terminal, as in the field: one shared card would serialize everything on its row lock
                HostApp.await(host.journal().ensureCard(new org.posfleet.host.ledger.TestCard(pan(i), "3012",
                        host.securityModule().pinVerificationValue(pan(i), "123456".toCharArray()), 0, 1_000_000_000_000L, "active")));
            }
            Histogram latency = new Histogram(60_000_000_000L, 3);
            AtomicLong approved = new AtomicLong();
            AtomicLong other = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            CountDownLatch done = new CountDownLatch(terminals);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < terminals; i++) {
                int n = i;
                Thread t = new Thread(() -> {
                    try (BlockingTerminal term = new BlockingTerminal("127.0.0.1", host.port(), String.format("P%07d", n), MID,
                            "PERF-" + n, tmk, CipherSuite.TDES)) {
                        term.signOn();
                        Histogram mine = new Histogram(60_000_000_000L, 3);
                        while (System.nanoTime() < end) {
                            CardTransaction.Request sale = term.request(MessageKind.SALE, pan(n), 100);
                            long t0 = System.nanoTime();
                            String rc = term.send(sale.toMessage()).message().string(39);
                            mine.recordValue(System.nanoTime() - t0);
                            (rc.equals("00") ? approved : other).incrementAndGet();
                        }
                        synchronized (latency) {
                            latency.add(mine);
                        }
                    } catch (Exception e) {
                        System.err.println("terminal " + n + ": " + e);
                    } finally {
                        done.countDown();
                    }
                });
                threads.add(t);
                t.start();
            }
            done.await();
            System.out.printf("group commit %-3s: %8.0f approved sales/s, %d not approved, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    groupCommit ? "on" : "off", approved.get() / (double) seconds, other.get(),
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6, latency.getMaxValue() / 1e6);
        } finally { // after the host has closed: its embedded database
            SteppedRun.deleteTree(dir);
        }
    }

    private static String pan(int terminal) {
        return String.format("8888%012d", terminal);
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
