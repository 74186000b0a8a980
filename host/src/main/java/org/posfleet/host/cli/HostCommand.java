package org.posfleet.host.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.host.HostApp;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.PasswordHasher;
import org.posfleet.host.security.SoftwareSecurityModule;
import org.posfleet.host.security.WrappedKey;
import org.posfleet.protocol.iso.Bcd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The host's command line: {@code serve} (the default) and the administrative commands. */
@Command(name = "host", mixinStandardHelpOptions = true, version = "posfleet host 0.1",
        description = "posfleet acquirer host for card-payment terminals (CUP-style ISO 8583 over TCP).",
        subcommands = {HostCommand.Serve.class, HostCommand.RegisterTerminal.class, HostCommand.LoadTmk.class,
                HostCommand.SetOperator.class, HostCommand.RemoveOperator.class, HostCommand.AddCard.class,
                HostCommand.ProvisionFleet.class, HostCommand.CreateToken.class, HostCommand.RotateLmk.class,
                HostCommand.LmkComponentsCommand.class})
public final class HostCommand implements Callable<Integer> {

    /** Start-up chatter of the embedded database and migrations; held here because JUL forgets unreferenced loggers. */
    private static final List<java.util.logging.Logger> QUIET = List.of(java.util.logging.Logger.getLogger("org.flywaydb"),
            java.util.logging.Logger.getLogger("io.zonky"));

    @Mixin
    Common common;

    @Mixin
    ServeOptions serve;

    public static void main(String[] args) {
        // one line per record; the JDK's default spreads each over two
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$-7s %3$s: %5$s%6$s%n");
        }
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        System.exit(new CommandLine(new HostCommand()).execute(args));
    }

    /** Without a subcommand the host serves. */
    @Override
    public Integer call() throws Exception {
        return Serve.run(common, serve);
    }

    /** Options every command shares: where the data lives and where the LMK comes from. */
    static final class Common {
        @Option(names = "--data-dir", defaultValue = "data", description = "embedded PostgreSQL data and the development LMK (default: ${DEFAULT-VALUE})")
        Path dataDir;

        @Option(names = "--db-url", description = "use an external PostgreSQL instead of the embedded one: postgresql://user:password@host:port/db")
        String dbUrl;

        @Option(names = "--db-port", defaultValue = "55432", description = "port of the embedded PostgreSQL (default: ${DEFAULT-VALUE})")
        int dbPort;

        @Option(names = "--lmk-component-file", description = "a file holding one hex LMK component; repeat for each (else "
                + LmkComponents.ENV + ", else development components in the data directory)")
        List<Path> lmkFiles = new ArrayList<>();

        @Option(names = "--db-setting", paramLabel = "NAME=VALUE", description = "a server setting for the embedded PostgreSQL,"
                + " on top of the host's own (repeat for more; e.g. shared_preload_libraries=pg_stat_statements to profile"
                + " statements). Not with --db-url, and never the settings durability rests on (synchronous_commit, fsync, ...)")
        Map<String, String> dbSettings = new LinkedHashMap<>();

        HostConfig config(HostConfig base) {
            if (dbUrl != null && !dbSettings.isEmpty()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--db-setting is for the embedded PostgreSQL;"
                        + " an external server is configured on its own");
            }
            try {
                return base.toBuilder().dataDir(dataDir).databaseUrl(dbUrl).embeddedDbPort(dbPort).dbSettings(dbSettings).build();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--db-setting: " + e.getMessage());
            }
        }

        LmkComponents.Loaded lmk() throws Exception {
            return LmkComponents.load(lmkFiles, System.getenv(LmkComponents.ENV), dataDir);
        }
    }

    static final class ServeOptions {
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address of the terminal port (default: ${DEFAULT-VALUE})")
        String bind;

        @Option(names = "--port", defaultValue = "9583", description = "terminal port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--instances", description = "terminal server instances, each an event loop with its own commit group"
                + " (default: one per core with --db-url; with the embedded PostgreSQL, which needs cores of its own, one per two cores)")
        Integer instances;

        @Option(names = "--max-connections", defaultValue = "120000", description = "terminal connections held at once (default: ${DEFAULT-VALUE})")
        int maxConnections;

        @Option(names = "--max-frame", defaultValue = "4096", description = "largest frame body in bytes (default: ${DEFAULT-VALUE})")
        int maxFrame;

        @Option(names = "--max-in-flight", defaultValue = "32", description = "requests outstanding on one connection before the host"
                + " stops reading from it; raise it for NACs whose line carries many terminals (default: ${DEFAULT-VALUE})")
        int maxInFlight;

        @Option(names = "--idle-timeout", defaultValue = "PT5M", description = "close a silent connection after (ISO-8601 duration, default: ${DEFAULT-VALUE})")
        Duration idleTimeout;

        @Option(names = "--read-timeout", defaultValue = "PT10S", description = "close a connection whose frame is not completed within (default: ${DEFAULT-VALUE})")
        Duration readTimeout;

        @Option(names = "--key-max-age", defaultValue = "PT24H", description = "working keys older than this ask for a new sign-on (default: ${DEFAULT-VALUE})")
        Duration keyMaxAge;

        @Option(names = "--key-max-uses", defaultValue = "1000000", description = "MACed messages per sign-on before a new sign-on is asked for (default: ${DEFAULT-VALUE})")
        long keyMaxUses;

        @Option(names = "--max-password-failures", defaultValue = "5", description = "wrong passwords in a row that lock an operator (default: ${DEFAULT-VALUE})")
        int maxPasswordFailures;

        @Option(names = "--admin-port", defaultValue = "9584", description = "admin API port on the bind address; -1 turns it off (default: ${DEFAULT-VALUE})")
        int adminPort;

        @Option(names = "--group-commit", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "postings of one event loop share a transaction and its commit (default); --no-group-commit: one transaction each")
        boolean groupCommit;

        @Option(names = "--overlap-below", description = "with group commit, the next group of an event loop starts while one"
                + " waits for its WAL flush only when fewer postings than this wait, or a full group (which also starts beside a"
                + " running one); more wait for the flush and go"
                + " as one larger group (default: " + HostConfig.DEFAULT_OVERLAP_BELOW + "; 0: one group at a time)")
        Integer overlapBelow;

        @Option(names = "--overlap-commits", negatable = true, description = "--overlap-commits: the next group starts during a"
                + " flush whatever waits (--overlap-below without a limit); --no-overlap-commits: one group at a time (--overlap-below 0)")
        Boolean overlapCommits;

        @Option(names = "--native-transport", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "sockets on epoll where its library loads (Linux), else Java's NIO (default); --no-native-transport:"
                        + " NIO always")
        boolean nativeTransport;

        @Option(names = "--max-connections-per-address", defaultValue = "0", description = "connections one source address may"
                + " hold; more are closed at accept (default: 0, no limit: terminals often come through a few gateways)")
        int maxConnectionsPerAddress;

        @Option(names = "--max-connects-per-second-per-address", defaultValue = "0", description = "new connections one source"
                + " address may open a second, bursts of twice that; more are closed at accept (default: 0, no limit)")
        int maxConnectsPerSecondPerAddress;

        @Option(names = "--tls-keystore", description = "a PKCS#12 key store with the host's key and certificate: TLS on the terminal"
                + " and admin ports (default: plain TCP and HTTP)")
        Path tlsKeyStore;

        @Option(names = "--tls-keystore-password-file", description = "a file holding the key store's password (kept out of the command line)")
        Path tlsPasswordFile;

        HostConfig apply(HostConfig c) throws java.io.IOException {
            HostConfig.Tls tls = null;
            if (tlsKeyStore != null) {
                if (tlsPasswordFile == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--tls-keystore needs --tls-keystore-password-file");
                }
                tls = new HostConfig.Tls(tlsKeyStore, java.nio.file.Files.readString(tlsPasswordFile).strip());
            }
            if (overlapBelow != null && overlapCommits != null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--overlap-below or --[no-]overlap-commits, not both");
            }
            int overlap = overlapCommits != null ? (overlapCommits ? HostConfig.OVERLAP_ALWAYS : 0)
                    : overlapBelow != null ? overlapBelow : HostConfig.DEFAULT_OVERLAP_BELOW;
            return c.toBuilder().bindAddress(bind).terminalPort(port)
                    .instances(instances == null ? HostConfig.defaultInstances(c.databaseUrl() == null) : instances)
                    .maxConnections(maxConnections).maxFrameBody(maxFrame).maxInFlight(maxInFlight).idleTimeout(idleTimeout).readTimeout(readTimeout)
                    .keyMaxAge(keyMaxAge).keyMaxUses(keyMaxUses).maxPasswordFailures(maxPasswordFailures).groupCommit(groupCommit)
                    .adminPort(adminPort).tls(tls).addressLimits(new HostConfig.AddressLimits(maxConnectionsPerAddress,
                            maxConnectsPerSecondPerAddress)).overlapBelow(overlap)
                    .nativeTransport(nativeTransport).build();
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the host (the default command).")
    static final class Serve implements Callable<Integer> {
        @Mixin
        Common common;

        @Mixin
        ServeOptions serve;

        @Override
        public Integer call() throws Exception {
            return run(common, serve);
        }

        static int run(Common common, ServeOptions serve) throws Exception {
            HostConfig config = serve.apply(common.config(HostConfig.defaults()));
            HostApp app = HostApp.start(config, common.lmk());
            System.out.println("posfleet host listening on " + config.bindAddress() + ":" + app.port() + " (Ctrl-C stops)");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    app.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "register-terminal", mixinStandardHelpOptions = true,
            description = "Register a terminal (TID) of a merchant (MID) and bind the device (serial number) it runs on.")
    static final class RegisterTerminal implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tid", required = true, description = "terminal id, 8 characters")
        String tid;

        @Option(names = "--mid", required = true, description = "merchant id, 15 characters")
        String mid;

        @Option(names = "--merchant-name", defaultValue = "", description = "merchant name (when the merchant is new)")
        String merchantName;

        @Option(names = "--serial", required = true, description = "serial number of the device bound to the terminal")
        String serial;

        @Override
        public Integer call() throws Exception {
            if (tid.length() != 8 || mid.length() != 15) {
                System.err.println("a TID is 8 characters and a MID 15");
                return 2;
            }
            try (HostApp.Admin admin = HostApp.admin(common.config(HostConfig.defaults()), common.lmk())) {
                HostApp.await(admin.store().registerTerminal(tid, mid, merchantName.isEmpty() ? mid : merchantName, serial));
            }
            System.out.println("registered terminal " + tid + " of merchant " + mid + ", bound to device " + serial);
            return 0;
        }
    }

    @Command(name = "load-tmk", mixinStandardHelpOptions = true,
            description = "Key ceremony: load a terminal's TMK from two or more clear components. Only check values are shown.")
    static final class LoadTmk implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tid", required = true)
        String tid;

        @Option(names = "--suite", defaultValue = "TDES", description = "TDES (double length) or SM4 (default: ${DEFAULT-VALUE})")
        CipherSuite suite;

        @Option(names = "--component", arity = "1", description = "a clear 16-byte component in hex; repeat, at least twice."
                + " Without it the components are asked for on the console, not echoed.")
        List<String> components = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            List<String> hex = new ArrayList<>(components);
            if (hex.isEmpty()) {
                var console = System.console();
                if (console == null) {
                    System.err.println("no --component given and no console to ask on");
                    return 2;
                }
                for (int i = 1; i <= 2; i++) {
                    hex.add(new String(console.readPassword("component %d (hex): ", i)));
                }
            }
            try (HostApp.Admin admin = HostApp.admin(common.config(HostConfig.defaults()), common.lmk())) {
                List<byte[]> parts = new ArrayList<>();
                for (int i = 0; i < hex.size(); i++) {
                    byte[] c = Bcd.fromHex(hex.get(i));
                    parts.add(c);
                    System.out.println("component " + (i + 1) + " check value " + admin.securityModule().componentCheckValue(c, suite));
                }
                WrappedKey tmk = admin.securityModule().importTmk(parts, suite);
                parts.forEach(CipherSuite::wipe);
                HostApp.await(admin.store().loadTmk(tid, tmk, "ceremony"));
                System.out.println("TMK for " + tid + " loaded, " + suite + ", check value " + tmk.checkValue().substring(0, 6));
            }
            return 0;
        }
    }

    @Command(name = "set-operator", mixinStandardHelpOptions = true,
            description = "Create an operator (or the supervisor, number 0 by convention) of a terminal, or reset its password and unlock it.")
    static final class SetOperator implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tid", required = true)
        String tid;

        @Option(names = "--operator", required = true, description = "operator number, 0..999")
        int operator;

        @Option(names = "--supervisor", description = "the terminal's supervisor (holds the void password)")
        boolean supervisor;

        @Option(names = "--password-file", description = "a file whose first line is the password (6 to 8 digits)")
        Path passwordFile;

        @Option(names = "--password", description = "the password on the command line (visible to other users: prefer --password-file)")
        String password;

        @Override
        public Integer call() throws Exception {
            String pw = passwordFile != null ? Files.readAllLines(passwordFile).get(0).strip() : password;
            if (pw == null || !pw.matches("\\d{6,8}")) {
                System.err.println("a password is 6 to 8 digits (--password-file or --password)");
                return 2;
            }
            HostConfig config = common.config(HostConfig.defaults());
            try (HostApp.Admin admin = HostApp.admin(config, common.lmk())) {
                String hash = PasswordHasher.hash(pw.toCharArray(), config.passwordIterations());
                HostApp.await(admin.store().setOperator(tid, operator, supervisor ? "supervisor" : "operator", hash));
            }
            System.out.println((supervisor ? "supervisor " : "operator ") + operator + " of " + tid + " set");
            return 0;
        }
    }

    @Command(name = "remove-operator", mixinStandardHelpOptions = true,
            description = "Remove an operator of a terminal; for the supervisor this revokes the void password (voids then get 55).")
    static final class RemoveOperator implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--tid", required = true)
        String tid;

        @Option(names = "--operator", required = true)
        int operator;

        @Override
        public Integer call() throws Exception {
            try (HostApp.Admin admin = HostApp.admin(common.config(HostConfig.defaults()), common.lmk())) {
                boolean removed = HostApp.await(admin.store().removeOperator(tid, operator));
                System.out.println(removed ? "operator " + operator + " of " + tid + " removed" : "no operator " + operator + " at " + tid);
                return removed ? 0 : 1;
            }
        }
    }

    @Command(name = "add-card", mixinStandardHelpOptions = true,
            description = "Add a test card to the stand-in issuer, or replace one: PAN, expiry, PIN (kept only as a keyed verification value), balance, status.")
    static final class AddCard implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--pan", required = true)
        String pan;

        @Option(names = "--expiry", required = true, description = "YYMM")
        String expiry;

        @Option(names = "--pin", required = true, description = "4 to 12 digits")
        String pin;

        @Option(names = "--balance", required = true, description = "available funds in cents")
        long balance;

        @Option(names = "--status", defaultValue = "active", description = "active, lost, stolen or expired (default: ${DEFAULT-VALUE})")
        String status;

        @Override
        public Integer call() throws Exception {
            if (!pan.matches("\\d{13,19}") || !expiry.matches("\\d{2}(0[1-9]|1[0-2])") || !pin.matches("\\d{4,12}") || balance < 0
                    || !List.of("active", "lost", "stolen", "expired").contains(status)) {
                System.err.println("a PAN is 13-19 digits, expiry YYMM, a PIN 4-12 digits, balance >= 0, status active|lost|stolen|expired");
                return 2;
            }
            try (HostApp.Admin admin = HostApp.admin(common.config(HostConfig.defaults()), common.lmk())) {
                String pvv = admin.securityModule().pinVerificationValue(pan, pin.toCharArray());
                HostApp.await(new org.posfleet.host.ledger.Journal(admin.pool())
                        .putCard(new org.posfleet.host.ledger.TestCard(pan, expiry, pvv, 0, balance, status)));
            }
            System.out.println("card " + pan.substring(0, 6) + "..." + pan.substring(pan.length() - 4) + " set, " + status);
            return 0;
        }
    }

    @Command(name = "provision-fleet", mixinStandardHelpOptions = true,
            description = "Register a test fleet in one go: terminals with consecutive TIDs, each bound to its device serial, each with"
                    + " its own TMK derived from the fleet key, operator 1 and supervisor 0. The fleet simulator is given the same"
                    + " fleet key. Test fleets only.")
    static final class ProvisionFleet implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--count", required = true)
        int count;

        @Option(names = "--first-tid", defaultValue = "20000001", description = "TIDs count up from here (default: ${DEFAULT-VALUE})")
        long firstTid;

        @Option(names = "--mid", defaultValue = "898100000000001")
        String mid;

        @Option(names = "--serial-prefix", defaultValue = "FLEET-", description = "device serial = prefix + TID (default: ${DEFAULT-VALUE})")
        String serialPrefix;

        @Option(names = "--fleet-key", required = true, description = "16-byte hex key the terminals' TMKs derive from")
        String fleetKey;

        @Option(names = "--password", defaultValue = "123456", description = "operator 1's password (default: ${DEFAULT-VALUE})")
        String password;

        @Option(names = "--void-password", defaultValue = "888888", description = "supervisor 0's void password (default: ${DEFAULT-VALUE})")
        String voidPassword;

        @Option(names = "--password-iterations", description = "PBKDF2 iterations of the fleet's password hashes (default: the host's,"
                + " 120,000: about 40 ms per sign-on; a fleet of 50,000 signing on at once wants fewer, e.g. 1000)")
        Integer passwordIterations;

        @Option(names = "--cards", defaultValue = "true", negatable = true, fallbackValue = "true",
                description = "also a test card per terminal (PAN 8888 + 4 zeros + TID, PIN 123456) (default: on)")
        boolean cards;

        @Override
        public Integer call() throws Exception {
            byte[] key = Bcd.fromHex(fleetKey);
            HostConfig config = common.config(HostConfig.defaults());
            long started = System.nanoTime();
            try (HostApp.Admin admin = HostApp.admin(config, common.lmk())) {
                // one hash per password for the whole fleet: PBKDF2 per terminal would take minutes, and these are test terminals
                int iterations = passwordIterations == null ? config.passwordIterations() : passwordIterations;
                String operatorHash = PasswordHasher.hash(password.toCharArray(), iterations);
                String supervisorHash = PasswordHasher.hash(voidPassword.toCharArray(), iterations);
                for (int i = 0; i < count; i++) {
                    String tid = String.format("%08d", firstTid + i);
                    byte[] tmk = org.posfleet.crypto.FleetKeys.tmkFor(key, tid);
                    WrappedKey wrapped = admin.securityModule().importTmk(List.of(tmk, new byte[16]), CipherSuite.TDES);
                    CipherSuite.wipe(tmk);
                    HostApp.await(admin.store().registerTerminal(tid, mid, "fleet", serialPrefix + tid)
                            .compose(v -> admin.store().loadTmk(tid, wrapped, "ceremony"))
                            .compose(v -> admin.store().setOperator(tid, 1, "operator", operatorHash))
                            .compose(v -> admin.store().setOperator(tid, 0, "supervisor", supervisorHash)));
                    if (cards) {
                        // a card per terminal, as in the field: one shared card would serialize the fleet on its row lock
                        String pan = org.posfleet.crypto.FleetKeys.panFor(tid);
                        HostApp.await(new org.posfleet.host.ledger.Journal(admin.pool()).putCard(new org.posfleet.host.ledger.TestCard(pan,
                                "3012", admin.securityModule().pinVerificationValue(pan, "123456".toCharArray()), 0, 100_000_000_000L, "active")));
                    }
                }
            }
            System.out.printf("provisioned %d terminals %08d..%08d in %.1f s%n", count, firstTid, firstTid + count - 1,
                    (System.nanoTime() - started) / 1e9);
            return 0;
        }
    }

    @Command(name = "create-token", mixinStandardHelpOptions = true,
            description = "Create (or replace) an admin API token; it is printed once and only its SHA-256 is stored.")
    static final class CreateToken implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--name", required = true, description = "who uses it: shown in the audit log")
        String name;

        @Option(names = "--role", defaultValue = "read", description = "read or admin (default: ${DEFAULT-VALUE})")
        String role;

        @Override
        public Integer call() throws Exception {
            if (!role.equals("read") && !role.equals("admin")) {
                System.err.println("role is read or admin");
                return 2;
            }
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            String token = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try (HostApp.Admin admin = HostApp.admin(common.config(HostConfig.defaults()), common.lmk())) {
                HostApp.await(new org.posfleet.host.admin.AdminStore(admin.pool()).createToken(name, org.posfleet.host.admin.AdminServer.hash(token), role));
            }
            System.out.println(token);
            return 0;
        }
    }

    @Command(name = "rotate-lmk", mixinStandardHelpOptions = true,
            description = "Rotate the host master key on a stopped host: every stored key (TMKs, working keys, the PIN verification key)"
                    + " is wrapped again under the new LMK in one transaction and the new LMK's check value recorded. A running host"
                    + " rotates through its admin API (POST /api/lmk/rotate). The current LMK comes from the usual options, the new"
                    + " one from --new-lmk-component-file.")
    static final class RotateLmk implements Callable<Integer> {
        @Mixin
        Common common;

        @Option(names = "--new-lmk-component-file", required = true, description = "a file with one hex component of the new LMK; repeat")
        List<Path> newComponents = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            HostConfig config = common.config(HostConfig.defaults());
            List<byte[]> next = LmkComponents.load(newComponents, null, common.dataDir).components();
            try (HostApp.Admin admin = HostApp.admin(config, common.lmk())) {
                if (!admin.database().ownsServer() && config.databaseUrl() == null) {
                    System.err.println("a host is running on this data directory: rotate through its admin API, or stop it first");
                    return 2;
                }
                var r = HostApp.await(new org.posfleet.host.store.LmkRotation(admin.vertx(), admin.pool()).rotate(admin.securityModule(), next));
                System.out.println("LMK rotated from check value " + r.fromCheckValue() + " to " + r.toCheckValue() + ": " + r.tmks()
                        + " TMKs and " + r.sessions() + " sessions' working keys wrapped again");
            }
            return 0;
        }
    }

    @Command(name = "lmk-components", mixinStandardHelpOptions = true,
            description = "Generate LMK components into separate files (one per custodian); prints only their check values.")
    static final class LmkComponentsCommand implements Callable<Integer> {
        @Option(names = "--count", defaultValue = "2", description = "how many components (at least 2)")
        int count;

        @Option(names = "--out", required = true, description = "directory to write component-N files into")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (count < 2) {
                System.err.println("at least two components");
                return 2;
            }
            Files.createDirectories(out);
            List<byte[]> all = new ArrayList<>();
            try (PrintWriter w = new PrintWriter(System.out, true)) {
                for (int i = 1; i <= count; i++) {
                    byte[] c = SoftwareSecurityModule.randomComponent();
                    all.add(c);
                    Files.writeString(out.resolve("component-" + i), Bcd.hex(c) + "\n");
                    w.println("component-" + i + " check value " + SoftwareSecurityModule.aesCheckValue(c));
                }
                w.println("LMK check value " + new SoftwareSecurityModule(all).lmkCheckValue());
            }
            all.forEach(CipherSuite::wipe);
            return 0;
        }
    }
}
