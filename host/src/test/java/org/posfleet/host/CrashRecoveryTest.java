package org.posfleet.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.ledger.JournalEntry;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;
import org.posfleet.protocol.iso.IsoMessage;
import org.posfleet.protocol.message.CardTransaction;
import org.posfleet.protocol.message.MessageKind;
import org.posfleet.protocol.message.ResponseCode;
import org.posfleet.protocol.message.Reversal;

/**
 * The host process is killed with SIGKILL in the middle of a stream of sales, three times, and restarted
 * each time. After every round: each approval the terminal received is in the journal, posted, with the RRN
 * the terminal got; nothing is posted twice; the terminal's reversal of its unanswered request resolves it;
 * and the card's balance is exactly what the posted sales took.
 */
class CrashRecoveryTest {

    private static final String PAN = "6225880000000001";
    private static final String TID = "CRASH001";
    private static final byte[] TMK = Bcd.fromHex("0123456789ABCDEFFEDCBA9876543210");

    @TempDir
    static Path dir;

    private static int dbPort;
    private static List<Path> lmkFiles;
    private static Process host;
    private static int port;

    @BeforeAll
    static void provision() throws Exception {
        dbPort = TestHost.freePort();
        lmkFiles = TestHost.lmkComponentFiles(Files.createDirectories(dir.resolve("lmk")));
        startHost();
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, dbPort);
        try (HostApp.Admin admin = HostApp.admin(cfg, LmkComponents.load(lmkFiles, null, dir))) {
            HostApp.await(admin.store().registerTerminal(TID, TestHost.MID, "Crash shop", "CRASH-SN"));
            HostApp.await(admin.store().loadTmk(TID, admin.securityModule().importTmk(List.of(TMK, new byte[16]), CipherSuite.TDES), "ceremony"));
            HostApp.await(admin.store().setOperator(TID, 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) {
            host.destroyForcibly().waitFor();
        }
        // the embedded PostgreSQL outlived the killed hosts, as a real database would: stop it now
        Path pid = dir.resolve("data").resolve("pg").resolve("postmaster.pid");
        if (Files.exists(pid)) {
            long pgPid = Long.parseLong(Files.readAllLines(pid).get(0).strip());
            var pg = ProcessHandle.of(pgPid);
            if (pg.isPresent()) {
                pg.get().destroy();
                pg.get().onExit().get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void killedMidStreamTheHostLosesNoApprovalAndPostsNothingTwice() throws Exception {
        Random random = new Random(20261124);
        Map<Integer, String> approved = new LinkedHashMap<>(); // STAN -> RRN the terminal received
        List<CardTransaction.Request> unanswered = new ArrayList<>();
        try (BlockingTerminal first = terminal()) {
            assertThat(first.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
        }
        long start = balance();
        int stan = 100;
        for (int round = 1; round <= 3; round++) {
            long killAfter = 200 + random.nextInt(600);
            Process victim = host;
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(killAfter);
                    victim.destroyForcibly(); // SIGKILL, wherever the host is: mid-commit, mid-reply, idle
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            CardTransaction.Request inFlight = null;
            BlockingTerminal t = terminal();
            try {
                t.signOn();
                killer.start();
                while (true) {
                    CardTransaction.Request sale = CardTransaction.Request.of(MessageKind.SALE, PAN, 100 + random.nextInt(50) * 100L,
                            ++stan, t.batch(), TID, TestHost.MID);
                    inFlight = sale;
                    IsoMessage reply = t.send(sale.toMessage()).message();
                    inFlight = null;
                    if ("00".equals(reply.string(39))) {
                        approved.put(sale.stan(), reply.string(37));
                    }
                }
            } catch (IOException hostDied) {
                if (inFlight != null) {
                    unanswered.add(inFlight);
                }
            } finally {
                t.close();
                killer.join();
                victim.waitFor();
            }
            startHost();
            // the terminal's first act after the outage: reverse what went unanswered (its keys survived the crash)
            try (BlockingTerminal again = terminal()) {
                again.signOn();
                for (CardTransaction.Request u : unanswered) {
                    IsoMessage r = again.send(Reversal.of(u.toMessage(), ResponseCode.ISSUER_TIMEOUT)).message();
                    assertThat(r.string(39)).isEqualTo("00");
                }
            }
            verify(approved, unanswered, start);
        }
        assertThat(approved).as("sales were approved between the kills").hasSizeGreaterThan(3);
    }

    private void verify(Map<Integer, String> approved, List<CardTransaction.Request> unanswered, long start) throws Exception {
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, dbPort);
        try (HostApp.Admin admin = HostApp.admin(cfg, LmkComponents.load(lmkFiles, null, dir))) {
            var journal = new org.posfleet.host.ledger.Journal(io.vertx.pgclient.PgBuilder.pool()
                    .connectingTo(new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(dbPort)
                            .setDatabase("postgres").setUser("postgres").setPassword("postgres")).using(admin.vertx()).build());
            long posted = 0;
            for (Map.Entry<Integer, String> e : approved.entrySet()) {
                JournalEntry row = HostApp.await(journal.inTerminalTransaction(TID, c -> journal.find(c, TID, TestHost.MID, 1, e.getKey(), 2)));
                assertThat(row).as("approval of STAN %d is journaled", e.getKey()).isNotNull();
                assertThat(row.status()).isEqualTo("posted");
                assertThat(row.rrn()).isEqualTo(e.getValue());
                posted += row.amount();
            }
            for (CardTransaction.Request u : unanswered) {
                JournalEntry row = HostApp.await(journal.inTerminalTransaction(TID, c -> journal.find(c, TID, TestHost.MID, 1, u.stan(), 2)));
                assertThat(row == null || !row.status().equals("posted")).as("unanswered STAN %d is not left posted", u.stan()).isTrue();
            }
            long postedRows = HostApp.await(admin.store() == null ? null : countPosted(admin));
            assertThat(postedRows).as("posted sales in the journal: exactly the approvals the terminal saw").isEqualTo(approved.size());
            long balance = HostApp.await(journal.inTerminalTransaction(TID, c -> journal.card(c, PAN))).balance();
            assertThat(balance).as("the card lost exactly the approved sales").isEqualTo(start - posted);
        }
    }

    private static io.vertx.core.Future<Long> countPosted(HostApp.Admin admin) {
        var pool = io.vertx.pgclient.PgBuilder.pool().connectingTo(new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1")
                .setPort(dbPort).setDatabase("postgres").setUser("postgres").setPassword("postgres")).using(admin.vertx()).build();
        return pool.preparedQuery("select count(*) from journal where tid = $1 and message_class = 2 and status = 'posted'")
                .execute(io.vertx.sqlclient.Tuple.of(TID)).map(rows -> rows.iterator().next().getLong(0))
                .eventually(() -> pool.close());
    }

    private static long balance() throws Exception {
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, dbPort);
        try (HostApp.Admin admin = HostApp.admin(cfg, LmkComponents.load(lmkFiles, null, dir))) {
            var journal = new org.posfleet.host.ledger.Journal(io.vertx.pgclient.PgBuilder.pool()
                    .connectingTo(new io.vertx.pgclient.PgConnectOptions().setHost("127.0.0.1").setPort(dbPort)
                            .setDatabase("postgres").setUser("postgres").setPassword("postgres")).using(admin.vertx()).build());
            return HostApp.await(journal.inTerminalTransaction(TID, c -> journal.card(c, PAN))).balance();
        }
    }

    private static BlockingTerminal terminal() throws IOException {
        return new BlockingTerminal("127.0.0.1", port, TID, TestHost.MID, "CRASH-SN", TMK, CipherSuite.TDES);
    }

    private static void startHost() throws Exception {
        port = TestHost.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.posfleet.host.cli.HostCommand", "serve",
                "--data-dir", dir.resolve("data").toString(), "--db-port", String.valueOf(dbPort), "--port", String.valueOf(port),
                "--instances", "2", "--admin-port", "-1"));
        for (Path f : lmkFiles) {
            cmd.add("--lmk-component-file");
            cmd.add(f.toString());
        }
        Path log = dir.resolve("host-" + System.nanoTime() + ".log");
        host = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("posfleet host listening on")) {
            if (!host.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("host did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
    }

}
