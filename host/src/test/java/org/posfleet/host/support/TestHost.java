package org.posfleet.host.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.WrappedKey;
import org.posfleet.protocol.iso.Bcd;

/**
 * One host on an embedded PostgreSQL for the whole test run (starting PostgreSQL takes seconds), plus
 * hosts with other settings sharing its database. Every log line the host writes is kept, so that tests
 * can search the logs for key material.
 */
public final class TestHost {

    public static final String MID = "898100000000001";
    /** Test LMK components: fixed so a test failure can be replayed; never used outside tests. */
    private static final LmkComponents.Loaded LMK = new LmkComponents.Loaded(List.of(
            Bcd.fromHex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"),
            Bcd.fromHex("F0E0D0C0B0A090807060504030201000F1E1D1C1B1A191817161514131211101")), "test components");
    /** Tests need many sign-ons; the production default is 120,000 iterations. */
    public static final int TEST_PASSWORD_ITERATIONS = 5_000;

    private static final List<String> LOG_LINES = new CopyOnWriteArrayList<>();
    private static final AtomicInteger TERMINALS = new AtomicInteger();
    private static HostApp shared;
    private static HostConfig sharedConfig;

    private TestHost() {
    }

    public static synchronized HostApp shared() throws Exception {
        if (shared == null) {
            captureLogs();
            Path dir = Files.createTempDirectory("posfleet-host-test");
            sharedConfig = HostConfig.defaults().withDatabase(dir, null, freePort()).withTerminalPort(freePort())
                    .withPasswords(TEST_PASSWORD_ITERATIONS, 5).withInstances(2).withAdminPort(0);
            shared = HostApp.start(sharedConfig, LMK);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    shared.close();
                } catch (Exception ignored) {
                    // the JVM is going
                }
            }));
        }
        return shared;
    }

    /** The shared host's configuration, to derive other hosts from. */
    public static HostConfig sharedConfig() throws Exception {
        shared();
        return sharedConfig;
    }

    /** Another host on the shared database with other settings; close it when done. */
    public static HostApp another(HostConfig config) throws Exception {
        shared();
        return HostApp.start(config.withTerminalPort(freePort()), LMK);
    }

    /** The test LMK components written to files, as a custodian would hand them to the command line. */
    public static List<Path> lmkComponentFiles(Path dir) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < LMK.components().size(); i++) {
            Path f = dir.resolve("lmk-component-" + (i + 1));
            Files.writeString(f, Bcd.hex(LMK.components().get(i)) + "\n");
            files.add(f);
        }
        return files;
    }

    /**
     * Provisions a fleet on the shared host as an operator would: the provision-fleet command with the test LMK
     * components written to files in {@code dir}; {@code options} are added (passwords, say).
     */
    public static void provisionFleet(Path dir, long firstTid, int count, String fleetKey, String... options) throws Exception {
        HostConfig cfg = sharedConfig();
        List<String> args = new java.util.ArrayList<>(List.of("provision-fleet", "--data-dir", cfg.dataDir().toString(), "--db-port",
                String.valueOf(cfg.embeddedDbPort()), "--count", String.valueOf(count), "--first-tid", String.valueOf(firstTid),
                "--fleet-key", fleetKey, "--password-iterations", "1000"));
        args.addAll(List.of(options));
        for (Path f : lmkComponentFiles(dir)) {
            args.add("--lmk-component-file");
            args.add(f.toString());
        }
        int exit = new picocli.CommandLine(new org.posfleet.host.cli.HostCommand()).execute(args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("provision-fleet exited " + exit);
        }
    }

    /** Every log line written so far. */
    public static List<String> logLines() {
        return List.copyOf(LOG_LINES);
    }

    /** A terminal registered with a bound device, a TMK loaded by ceremony and operator 1 with password 123456. */
    public static Provisioned provision(CipherSuite suite) throws Exception {
        Provisioned p = register();
        byte[] c1 = random16();
        byte[] c2 = random16();
        WrappedKey tmk = shared().securityModule().importTmk(List.of(c1, c2), suite);
        HostApp.await(shared().store().loadTmk(p.tid(), tmk, "ceremony"));
        byte[] clear = new byte[16];
        for (int i = 0; i < 16; i++) {
            clear[i] = (byte) (c1[i] ^ c2[i]);
        }
        return new Provisioned(p.tid(), p.serial(), clear, suite);
    }

    /** A provisioned terminal with supervisor 0 (void password 888888), signed on, on the shared host. */
    public static BlockingTerminal signedOn(CipherSuite suite) throws Exception {
        Provisioned p = provision(suite);
        HostApp.await(shared().store().setOperator(p.tid(), 0, "supervisor", PasswordHasher.hash("888888".toCharArray(), TEST_PASSWORD_ITERATIONS)));
        BlockingTerminal t = terminal(shared().port(), p);
        if (t.signOn().responseCode() != org.posfleet.protocol.message.ResponseCode.APPROVED) {
            throw new IllegalStateException("sign-on failed");
        }
        return t;
    }

    /** A card's balance, straight from the database. */
    public static long balance(String pan) throws Exception {
        var journal = shared().journal();
        return HostApp.await(journal.inTerminalTransaction("balance", c -> journal.card(c, pan))).balance();
    }

    /** A journal row by terminal, batch, STAN and message class, straight from the database. */
    public static org.posfleet.host.ledger.JournalEntry journal(String tid, int batch, int stan, int messageClass) throws Exception {
        var journal = shared().journal();
        return HostApp.await(journal.inTerminalTransaction(tid, c -> journal.find(c, tid, MID, batch, stan, messageClass)));
    }

    /** A registered terminal with operator 1 (password 123456) and no TMK. */
    public static Provisioned register() throws Exception {
        int n = TERMINALS.incrementAndGet();
        String tid = String.format("T%07d", n);
        String serial = "SN-TEST-" + n;
        HostApp app = shared();
        HostApp.await(app.store().registerTerminal(tid, MID, "Test merchant", serial));
        HostApp.await(app.store().setOperator(tid, 1, "operator", PasswordHasher.hash("123456".toCharArray(), TEST_PASSWORD_ITERATIONS)));
        return new Provisioned(tid, serial, null, null);
    }

    /** What a test knows of a provisioned terminal, clear TMK included (the test plays the terminal). */
    public record Provisioned(String tid, String serial, byte[] tmk, CipherSuite suite) {
    }

    /** A terminal connected to {@code port} playing a provisioned (or only registered) terminal. */
    public static BlockingTerminal terminal(int port, Provisioned p) throws IOException {
        return new BlockingTerminal("127.0.0.1", port, p.tid(), MID, p.serial(), p.tmk(), p.suite());
    }

    /** Ports handed out in this JVM: the OS may give a just-closed port again, and two servers must not get one port. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    private static byte[] random16() {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return b;
    }

    private static void captureLogs() {
        Handler h = new Handler() {
            private final SimpleFormatter f = new SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                LOG_LINES.add(f.format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(h);
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
