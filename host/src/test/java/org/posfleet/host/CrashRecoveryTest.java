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
 * The host process is killed with SIGKILL at a random moment while several terminals stream sales at it, and
 * restarted, round after round (3 rounds here; {@code scripts/crash-test.sh 20} runs 20). After every round, for
 * every terminal: each approval it received is in the journal, posted, with the RRN it got; nothing is posted
 * twice; its reversal of the request left unanswered resolves it; and its card's balance is exactly what its
 * posted sales took. The counts of what went wrong are written to target/crash-recovery.txt; all must be zero.
 */
class CrashRecoveryTest {

    private static final int TERMINALS = 4;
    private static final byte[] TMK = Bcd.fromHex("0123456789ABCDEFFEDCBA9876543210");

    private static String tid(int i) {
        return String.format("CRASH%03d", i);
    }

    private static String pan(int i) {
        return String.format("62258899%08d", i);
    }

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
            var cards = new org.posfleet.host.ledger.Journal(admin.pool());
            for (int i = 0; i < TERMINALS; i++) {
                HostApp.await(admin.store().registerTerminal(tid(i), TestHost.MID, "Crash shop", "CRASH-SN-" + i));
                HostApp.await(admin.store().loadTmk(tid(i), admin.securityModule().importTmk(List.of(TMK, new byte[16]), CipherSuite.TDES), "ceremony"));
                HostApp.await(admin.store().setOperator(tid(i), 1, "operator", PasswordHasher.hash("123456".toCharArray(), 1000)));
                HostApp.await(cards.ensureCard(new org.posfleet.host.ledger.TestCard(pan(i), "3012",
                        admin.securityModule().pinVerificationValue(pan(i), "123456".toCharArray()), 0, 1_000_000_000L, "active")));
            }
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

    /** What one terminal saw over all rounds. */
    private static final class Seen {
        final Map<Integer, String> approved = new LinkedHashMap<>(); // STAN -> RRN received
        final List<CardTransaction.Request> unanswered = new ArrayList<>();
        long startBalance;
        int stan = 100;
    }

    /** What went wrong, counted over all rounds: every count must stay zero. */
    private static final Map<String, Integer> PROBLEMS = new LinkedHashMap<>();

    @Test
    void killedMidStreamTheHostLosesNoApprovalAndPostsNothingTwice() throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("POSFLEET_CRASH_ROUNDS", "3"));
        Random random = new Random(20261124);
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i < TERMINALS; i++) {
            try (BlockingTerminal first = terminal(i)) {
                assertThat(first.signOn().responseCode()).isEqualTo(ResponseCode.APPROVED);
            }
            Seen s = new Seen();
            s.startBalance = balance(i);
            seen.add(s);
        }
        for (String p : List.of("approval not journaled", "approval journaled wrong", "posted twice or unseen", "unanswered left posted",
                "reversal not approved", "balance off")) {
            PROBLEMS.put(p, 0);
        }
        for (int round = 1; round <= rounds; round++) {
            long killAfter = 200 + random.nextInt(800);
            Process victim = host;
            List<Thread> streams = new ArrayList<>();
            for (int i = 0; i < TERMINALS; i++) {
                int n = i;
                long seed = random.nextLong();
                Thread stream = new Thread(() -> streamUntilTheHostDies(n, seen.get(n), new Random(seed)), "terminal-" + i);
                streams.add(stream);
                stream.start();
            }
            Thread.sleep(killAfter);
            victim.destroyForcibly(); // SIGKILL, wherever the host is: mid-commit, mid-reply, idle
            victim.waitFor();
            for (Thread stream : streams) {
                stream.join();
            }
            startHost();
            // each terminal's first act after the outage: reverse what went unanswered (its keys survived the crash)
            for (int i = 0; i < TERMINALS; i++) {
                try (BlockingTerminal again = terminal(i)) {
                    again.signOn();
                    for (CardTransaction.Request u : seen.get(i).unanswered) {
                        IsoMessage r = again.send(Reversal.of(u.toMessage(), ResponseCode.ISSUER_TIMEOUT)).message();
                        count("reversal not approved", !"00".equals(r.string(39)));
                    }
                }
            }
            for (int i = 0; i < TERMINALS; i++) {
                verify(i, seen.get(i));
            }
        }
        int approvals = seen.stream().mapToInt(s -> s.approved.size()).sum();
        int unanswered = seen.stream().mapToInt(s -> s.unanswered.size()).sum();
        String report = String.format("crash recovery: %d SIGKILLs, %d terminals, %d approvals seen, %d requests left unanswered and reversed;"
                + " problems %s%n", rounds, TERMINALS, approvals, unanswered, PROBLEMS);
        Files.writeString(Path.of("target", "crash-recovery.txt"), report);
        System.out.print(report);
        assertThat(PROBLEMS.values()).as("problems: %s", PROBLEMS).allMatch(v -> v == 0);
        assertThat(approvals).as("sales were approved between the kills").isGreaterThan(3 * rounds);
    }

    private static void count(String problem, boolean happened) {
        if (happened) {
            synchronized (PROBLEMS) {
                PROBLEMS.merge(problem, 1, Integer::sum);
            }
        }
    }

    /** One terminal sends sales back to back until the host dies under it. */
    private static void streamUntilTheHostDies(int n, Seen s, Random random) {
        CardTransaction.Request inFlight = null;
        try (BlockingTerminal t = terminal(n)) {
            t.signOn();
            while (true) {
                CardTransaction.Request sale = CardTransaction.Request.of(MessageKind.SALE, pan(n), 100 + random.nextInt(50) * 100L,
                        ++s.stan, t.batch(), tid(n), TestHost.MID);
                inFlight = sale;
                IsoMessage reply = t.send(sale.toMessage()).message();
                inFlight = null;
                if ("00".equals(reply.string(39))) {
                    s.approved.put(sale.stan(), reply.string(37));
                }
            }
        } catch (IOException hostDied) {
            if (inFlight != null) {
                s.unanswered.add(inFlight);
            }
        }
    }

    private void verify(int n, Seen s) throws Exception {
        String tid = tid(n);
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, dbPort);
        try (HostApp.Admin admin = HostApp.admin(cfg, LmkComponents.load(lmkFiles, null, dir))) {
            var journal = new org.posfleet.host.ledger.Journal(admin.pool());
            long posted = 0;
            for (Map.Entry<Integer, String> e : s.approved.entrySet()) {
                JournalEntry row = HostApp.await(journal.inTerminalTransaction(tid, c -> journal.find(c, tid, TestHost.MID, 1, e.getKey(), 2)));
                count("approval not journaled", row == null);
                count("approval journaled wrong", row != null && (!row.status().equals("posted") || !row.rrn().equals(e.getValue())));
                posted += row == null ? 0 : row.amount();
            }
            for (CardTransaction.Request u : s.unanswered) {
                JournalEntry row = HostApp.await(journal.inTerminalTransaction(tid, c -> journal.find(c, tid, TestHost.MID, 1, u.stan(), 2)));
                count("unanswered left posted", row != null && row.status().equals("posted"));
            }
            long postedRows = HostApp.await(admin.pool().preparedQuery("select count(*) from journal where tid = $1 and message_class = 2"
                    + " and status = 'posted'").execute(io.vertx.sqlclient.Tuple.of(tid)).map(rows -> rows.iterator().next().getLong(0)));
            count("posted twice or unseen", postedRows != s.approved.size());
            long balance = HostApp.await(journal.inTerminalTransaction(tid, c -> journal.card(c, pan(n)))).balance();
            count("balance off", balance != s.startBalance - posted);
        }
    }

    private static long balance(int n) throws Exception {
        HostConfig cfg = HostConfig.defaults().withDatabase(dir.resolve("data"), null, dbPort);
        try (HostApp.Admin admin = HostApp.admin(cfg, LmkComponents.load(lmkFiles, null, dir))) {
            var journal = new org.posfleet.host.ledger.Journal(admin.pool());
            return HostApp.await(journal.inTerminalTransaction(tid(n), c -> journal.card(c, pan(n)))).balance();
        }
    }

    private static BlockingTerminal terminal(int n) throws IOException {
        return new BlockingTerminal("127.0.0.1", port, tid(n), TestHost.MID, "CRASH-SN-" + n, TMK, CipherSuite.TDES);
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
