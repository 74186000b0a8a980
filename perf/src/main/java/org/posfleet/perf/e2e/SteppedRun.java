package org.posfleet.perf.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.posfleet.fleet.load.Fault;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.load.FleetRun;
import org.posfleet.fleet.load.Mix;
import org.posfleet.fleet.report.RunReport;
import org.posfleet.host.cli.HostCommand;
import org.posfleet.protocol.iso.Bcd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end benchmark in one command: for each target (the posfleet host on its embedded PostgreSQL, a bare
 * echo server over the same framing, the jPOS peer host on the same PostgreSQL schema on jPOS 2.1 or, as "jpos3", on
 * jPOS 3 with virtual threads) it starts the target in its own JVM (on the JDK given for it), provisions the fleet, and drives fleet-sim at stepped open-loop arrival rates, each step a fresh run
 * (sign-on, warm-up, measured seconds, settlement). A step passes when the measured transactions' p99 (coordinated-
 * omission corrected, all types of the mix together) is within the limit, no reply was wrong or missing, and the
 * generator kept to its schedule (lag p99 within its limit, nothing dropped). The highest passing rate is the
 * target's capacity; a failing step is run once more before it counts (a few seconds' window can hold one GC
 * pause or checkpoint), and the gap between the last pass and the first failure is then halved twice (--bisections). The results, with the
 * ratios between targets measured in this one run, go to {@code OUT/results.md} and every step's report beside it.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.e2e.SteppedRun [--targets posfleet,echo,jpos[,jpos3 --target-jdk JDK24_HOME]] [--terminals 1000] ...</pre>
 */
@Command(name = "stepped-run", mixinStandardHelpOptions = true, description = "Find each target's highest rate with p99 under the limit.")
public final class SteppedRun implements Callable<Integer> {

    static final String FLEET_KEY = "00112233445566778899AABBCCDDEEFF";
    static final String MID = "898100000000001";
    static final long FIRST_TID = 60000001;

    @Option(names = "--targets", split = ",", defaultValue = "echo,posfleet,jpos", description = "targets, in order (default: ${DEFAULT-VALUE})")
    List<String> targets;

    @Option(names = "--terminals", defaultValue = "1000", description = "persistent terminals (default: ${DEFAULT-VALUE})")
    int terminals;

    @Option(names = "--connect-rate", defaultValue = "500", description = "terminals started (connected and signed on) per second"
            + " before each step; against echo there is no sign-on and it can go much higher (default: ${DEFAULT-VALUE})")
    double connectRate;

    @Option(names = "--terminals-per-connection", defaultValue = "1", description = "terminals sharing a connection, as behind a NAC"
            + " (default: ${DEFAULT-VALUE}: a connection each)")
    int terminalsPerConnection;

    @Option(names = "--rates", split = ",", defaultValue = "250,500,1000,1500,2000,3000,4000,6000,8000,12000",
            description = "arrival rates to step through, per second (default: ${DEFAULT-VALUE})")
    List<Integer> rates;

    @Option(names = "--step-seconds", defaultValue = "8", description = "measured seconds per step (default: ${DEFAULT-VALUE})")
    int stepSeconds;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up seconds per step (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--target-warmup", defaultValue = "30", description = "seconds of unmeasured load on a freshly started target"
            + " before its first step, so that no target is judged on its JIT warm-up (default: ${DEFAULT-VALUE})")
    int targetWarmup;

    @Option(names = "--bisections", defaultValue = "2", description = "after the first failing rate, how many times the gap"
            + " between it and the last passing rate (or zero) is halved to find the capacity (default: ${DEFAULT-VALUE})")
    int bisections;

    @Option(names = "--p99-ms", defaultValue = "10", description = "p99 limit in ms (default: ${DEFAULT-VALUE})")
    double p99Limit;

    @Option(names = "--max-lag-ms", defaultValue = "5", description = "generator lag p99 above which a step is not valid (default: ${DEFAULT-VALUE})")
    double maxLag;

    @Option(names = "--mix", defaultValue = "sale=80,void=20", description = "scenario mix (default: ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--jvm", defaultValue = "-Xms1g -Xmx2g", description = "JVM options of every target (default: ${DEFAULT-VALUE})")
    String jvm;

    @Option(names = "--target-jdk", description = "the JDK every target runs on (its home directory; default: the one running this)."
            + " The jpos3 target needs JDK 24 or newer")
    Path targetJdk;

    @Option(names = "--jdk-of", description = "the JDK one target runs on: TARGET=HOME (a target, or a variant's name; repeatable),"
            + " e.g. --variant jdk25=\"\" --jdk-of jdk25=HOME --targets posfleet,jdk25 measures the host on two JDKs in one run")
    Map<String, Path> jdkOf = new LinkedHashMap<>();

    @Option(names = "--jpos3-jar", defaultValue = "perf-jpos3/target/jpos3-peer.jar", description = "the jPOS 3 peer's jar, for the"
            + " jpos3 target (default: ${DEFAULT-VALUE})")
    Path jpos3Jar;

    @Option(names = "--host-options", defaultValue = "", description = "more options of the posfleet host's serve command, e.g."
            + " \"--instances 1\" (default: none)")
    String hostOptions;

    @Option(names = "--settle", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "vacuum, recycle WAL segments and checkpoint each target's fresh database before its first step (default: ${DEFAULT-VALUE})")
    boolean settle;

    @Option(names = "--variant", description = "another configuration of the posfleet host, as a target of its own: NAME=\"HOST OPTIONS\""
            + " (added to --host-options; repeatable), e.g. --variant overlap=\"--overlap-commits\" --targets posfleet,overlap,posfleet:"
            + " this machine's noise hides smaller differences between runs than within one")
    Map<String, String> variants = new LinkedHashMap<>();

    @Option(names = "--generator-native-transport", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "the generator's sockets on epoll where it loads (default); --no-generator-native-transport: on NIO")
    boolean generatorNativeTransport;

    @Option(names = "--interleave", description = "start every target first, then step them in turns, a step of each per round:"
            + " the steps a ratio compares are then minutes apart, not a whole ladder apart (this machine's speed drifts within a run)."
            + " Without it each target is started, stepped to the end of its ladder and stopped before the next")
    boolean interleave;

    @Option(names = "--data-root", description = "the directory under which every target's database is created (default: the"
            + " system's temporary directory). A directory in memory takes the disk's flush times out of the comparison, as a"
            + " disk with a power-safe write cache would; the results say where the databases were")
    Path dataRoot;

    @Option(names = "--out", defaultValue = "perf-results", description = "results directory (default: ${DEFAULT-VALUE})")
    Path out;

    /** One step's outcome. */
    /**
     * One step. {@code cpu*} are CPU microseconds per measured transaction, over the measured window, of the target
     * process, its PostgreSQL server (all its processes) and the generator (this JVM): the cost of a transaction,
     * which stays readable where the p99 of a few seconds on a shared machine does not.
     */
    record Step(int rate, double achieved, double p50, double p99, long errors, double lagP99, boolean valid, boolean pass, String why,
                double cpuTarget, double cpuDatabase, double cpuGenerator, double commits, double walBytes, double walSyncs,
                double checkpoints, double autovacuums, double iowaitMs, double stealMs, RunReport.SecondsOver secondsOver) {
    }

    /** The transactions whose latency a step is judged on. */
    private static final java.util.Set<String> TRANSACTIONS = java.util.Set.of("SALE", "VOID", "REVERSAL");

    /**
     * The processes whose CPU time a step reads (the target, its database server's processes, this JVM), and the
     * database's own counters of the work done: transactions committed, WAL written and WAL flushes. The counters
     * are exact where CPU times on a shared machine are not.
     */
    private record Processes(long target, List<Long> database, boolean databaseFound, int dbPort) {
        static Processes of(Process target, Path dir, int dbPort) {
            String marker = dir.resolve("pg").toString();
            var postmaster = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .findFirst();
            List<Long> db = new ArrayList<>();
            postmaster.ifPresent(pm -> {
                db.add(pm.pid());
                pm.descendants().forEach(c -> db.add(c.pid()));
            });
            return new Processes(target.pid(), db, postmaster.isPresent(), dbPort);
        }

        /**
         * {commits, WAL bytes, WAL syncs} so far, read on a thread of its own (the caller is the fleet's event loop);
         * all NaN without a database.
         */
        java.util.concurrent.CompletableFuture<double[]> databaseCounters() {
            double[] none = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            if (!databaseFound) {
                return java.util.concurrent.CompletableFuture.completedFuture(none);
            }
            return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                double[] counters = none.clone();
                try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "postgres")) {
                    try (var rs = c.createStatement().executeQuery("select (select sum(xact_commit) from pg_stat_database), wal_bytes, wal_sync"
                            + " from pg_stat_wal")) {
                        rs.next();
                        for (int i = 0; i < 3; i++) {
                            counters[i] = rs.getDouble(i + 1);
                        }
                    }
                    // background work that can fill a step's window: checkpoints (PostgreSQL 16's view; n/a on others)
                    // and autovacuum or autoanalyze runs finished on any table
                    try (var rs = c.createStatement().executeQuery("select (select checkpoints_timed + checkpoints_req from pg_stat_bgwriter),"
                            + " (select sum(autovacuum_count + autoanalyze_count) from pg_stat_all_tables)")) {
                        rs.next();
                        counters[3] = rs.getDouble(1);
                        counters[4] = rs.getDouble(2);
                    } catch (java.sql.SQLException e) {
                        // another PostgreSQL version: the step shows n/a
                    }
                } catch (java.sql.SQLException e) {
                    return none;
                }
                return counters;
            });
        }

        /**
         * {target, database, generator} CPU milliseconds so far, then the machine's iowait and steal milliseconds.
         * Reads only a few files: fit for an event loop.
         */
        double[] sample() {
            double[] ms = new double[5];
            try {
                ms[0] = ProcessStats.cpuMillis(target, false);
                for (int i = 0; i < database.size(); i++) {
                    try {
                        ms[1] += ProcessStats.cpuMillis(database.get(i), i == 0); // the server counts its exited backends
                    } catch (IOException gone) {
                        // exited: now in the server's children's time
                    }
                }
                ms[2] = ProcessStats.cpuMillis(ProcessHandle.current().pid(), false);
                double[] wait = ProcessStats.machineWaitMillis();
                ms[3] = wait[0];
                ms[4] = wait[1];
            } catch (IOException e) {
                java.util.Arrays.fill(ms, Double.NaN); // not Linux: the table shows n/a
            }
            return ms;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SteppedRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        for (String v : variants.keySet()) {
            if (List.of("posfleet", "echo", "jpos", "jpos3").contains(v) || v.contains("#")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "a variant needs a name of its own: " + v);
            }
        }
        Path jdk = jdkFor("jpos3");
        if (targets.contains("jpos3") && (jdkFeature(jdk) < 24 || !Files.isRegularFile(jpos3Jar))) {
            throw new CommandLine.ParameterException(new CommandLine(this), "the jpos3 target needs a JDK 24 or newer (--target-jdk or"
                    + " --jdk-of jpos3=; " + jdk + " is " + jdkFeature(jdk) + ") and the jPOS 3 peer built (" + jpos3Jar
                    + ": ./mvnw package -pl perf-jpos3 -am)");
        }
        Map<String, String> named = new LinkedHashMap<>(); // name -> target
        for (String target : targets) {
            String name = target;
            for (int n = 2; named.containsKey(name); n++) { // a target listed again: a second measure of it, later in the run
                name = target + "#" + n;
            }
            named.put(name, target);
        }
        Map<String, List<Step>> results = new LinkedHashMap<>();
        if (interleave) {
            List<Started> started = new ArrayList<>();
            try {
                for (var e : named.entrySet()) {
                    started.add(startTarget(e.getValue(), e.getKey()));
                }
                for (boolean stepped = true; stepped; ) { // rounds: the next step of every target whose ladder goes on
                    stepped = false;
                    for (Started t : started) {
                        stepped |= t.stepOnce();
                    }
                }
            } finally {
                started.forEach(Started::stop);
            }
            started.forEach(t -> results.put(t.name, t.steps));
        } else {
            for (var e : named.entrySet()) {
                Started t = startTarget(e.getValue(), e.getKey());
                try {
                    while (t.stepOnce()) {
                        // up the ladder
                    }
                } finally {
                    t.stop();
                }
                results.put(t.name, t.steps);
            }
        }
        String md = render(results);
        Files.writeString(out.resolve("results.md"), md);
        System.out.println(md);
        return 0;
    }

    /** A target started and warmed up: its process, its database's processes, its ladder and the steps taken on it so far. */
    private final class Started {
        final String name;
        final String kind;
        final Process process;
        final Path dir;
        final int port;
        final Ladder ladder = new Ladder(rates, bisections);
        final List<Step> steps = new ArrayList<>();
        Processes processes;

        Started(String name, String kind, Process process, Path dir, int port) {
            this.name = name;
            this.kind = kind;
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        /** Takes the ladder's next step; false when the ladder is done. */
        boolean stepOnce() throws Exception {
            var rate = ladder.next();
            if (rate.isEmpty()) {
                return false;
            }
            Step s = step(kind, name, port, rate.getAsInt(), processes);
            steps.add(s);
            ladder.record(s.pass());
            return true;
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(dir); // the target's database: a few hundred MB per target, and its logs are in OUT
        }
    }

    /**
     * Starts a target ({@code name} labels its results: the target, a variant's name, or either again), provisions its
     * fleet, warms it up and settles its database.
     */
    private Started startTarget(String target, String name) throws Exception {
        String kind = variants.containsKey(target) ? "posfleet" : target;
        String options = (hostOptions + " " + variants.getOrDefault(target, "")).trim();
        Path dir = dataRoot == null ? Files.createTempDirectory("posfleet-e2e-" + kind)
                : Files.createTempDirectory(dataRoot, "posfleet-e2e-" + kind);
        int[] ports = freePorts(2);
        int port = ports[0];
        int dbPort = ports[1];
        Path log = out.resolve(name + "-target.log");
        String[] targetOptions = kind.startsWith("jpos") ? (terminalsPerConnection > 1 ? new String[] {"handoff"} : new String[0])
                : options.isEmpty() ? new String[0] : options.split("\\s+");
        Path jdk = jdkFor(target);
        jdks.put(name, jdkFeature(jdk));
        String classPath = kind.equals("jpos3") ? jpos3Jar.toString() : System.getProperty("java.class.path");
        Process p = start(kind, jdk, classPath, dir, port, dbPort, jvm, 2 * terminals, -1, log, targetOptions);
        Started t = new Started(name, kind, p, dir, port);
        try {
            awaitPort(port, p, log);
            if (!kind.equals("echo")) {
                provision(dir, dbPort);
            }
            System.out.printf("== %s on port %d (%s%s)%n", name, port, log, options.isEmpty() || !kind.equals("posfleet") ? "" : ", host options " + options);
            if (targetWarmup > 0) {
                new FleetRun(config(kind, port, rates.get(0), targetWarmup, null), new PrintStream(new ByteArrayOutputStream(), true))
                        .nativeTransport(generatorNativeTransport).run();
            }
            if (!kind.equals("echo") && settle) {
                settleDatabase(dbPort);
            }
            t.processes = Processes.of(p, dir, dbPort); // after warm-up: the database's connection pools are open by now
            return t;
        } catch (Exception e) {
            t.stop();
            throw e;
        }
    }

    /**
     * Brings a target's freshly made database to the state of one that has been running for a while, before the first
     * measured step, as pgbench vacuums before its runs. Measured without it (docs/performance.md, run 9): the first
     * step after the warm-up held the first autovacuum of every table just loaded (17 runs in its window), and every
     * 16 MB of WAL the server created a new segment file, zero-filled and flushed, a stall of 45-70 ms every 7 s
     * at 2,000/s; a server in steady state recycles its segments instead. So: VACUUM ANALYZE, then WAL written and
     * switched through 48 segments and a CHECKPOINT, which recycles them as the next segments (PostgreSQL keeps up
     * to max_wal_size, 1 GB, for that).
     */
    static void settleDatabase(int dbPort) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "postgres");
             var st = c.createStatement()) {
            st.execute("vacuum analyze");
            st.execute("do $$ begin for i in 1..48 loop perform pg_logical_emit_message(false, 'posfleet-settle', 'x');"
                    + " perform pg_switch_wal(); end loop; end $$");
            st.execute("checkpoint");
        }
    }

    /** Deletes a directory and everything under it; what cannot be deleted is left and reported. */
    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    System.err.println("left behind: " + f + " (" + e.getMessage() + ")");
                }
            });
        } catch (IOException e) {
            System.err.println("left behind: " + dir + " (" + e.getMessage() + ")");
        }
    }

    /** Starts a target in its own JVM with this JVM's JDK and class path: "posfleet" (the host), "echo" or "jpos" (jPOS 2.1). */
    static Process start(String target, Path dir, int port, int dbPort, String jvm, int maxSessions, Path log) throws IOException {
        return start(target, dir, port, dbPort, jvm, maxSessions, -1, log);
    }

    /** As above; the posfleet host with its admin API on {@code adminPort} (-1: none). */
    static Process start(String target, Path dir, int port, int dbPort, String jvm, int maxSessions, int adminPort, Path log,
                         String... hostOptions) throws IOException {
        return start(target, Path.of(System.getProperty("java.home")), System.getProperty("java.class.path"), dir, port, dbPort, jvm,
                maxSessions, adminPort, log, hostOptions);
    }

    /**
     * As above, on the JDK in {@code jdk} with {@code classPath}: "jpos3" is the jPOS peer on the jPOS 3 peer's class
     * path (perf-jpos3), which needs JDK 24 or newer.
     */
    static Process start(String target, Path jdk, String classPath, Path dir, int port, int dbPort, String jvm, int maxSessions,
                         int adminPort, Path log, String... hostOptions) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin").resolve("java").toString()));
        cmd.addAll(List.of(jvm.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", classPath));
        switch (target) {
            case "posfleet" -> {
                cmd.addAll(List.of(HostCommand.class.getName(), "serve", "--data-dir", dir.toString(), "--db-port",
                        String.valueOf(dbPort), "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort)));
                cmd.addAll(List.of(hostOptions));
            }
            case "echo" -> cmd.addAll(List.of("org.posfleet.perf.peer.EchoServer", String.valueOf(port)));
            case "jpos", "jpos3" -> {
                cmd.addAll(List.of("org.posfleet.perf.peer.JposPeerHost", String.valueOf(port), dir.toString(),
                        String.valueOf(dbPort), FLEET_KEY, String.valueOf(maxSessions)));
                cmd.addAll(List.of(hostOptions)); // "handoff" for terminals behind NACs
            }
            default -> throw new IllegalArgumentException("no target " + target + " (posfleet, echo, jpos, jpos3)");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Each measured target's JDK (its feature release), for the results. */
    private final Map<String, Integer> jdks = new LinkedHashMap<>();

    /** The JDK {@code target} (a target's or a variant's name) runs on. */
    private Path jdkFor(String target) {
        return jdkOf.getOrDefault(target, targetJdk != null ? targetJdk : Path.of(System.getProperty("java.home")));
    }

    /** The feature release of the JDK in {@code home} (17, 25, ...), from its release file; 0 when it has none. */
    static int jdkFeature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private Step step(String kind, String target, int port, int rate, Processes processes) throws Exception {
        double[][] cpu = new double[2][];
        List<java.util.concurrent.CompletableFuture<double[]>> db = new ArrayList<>();
        RunReport r = new FleetRun(config(kind, port, rate, stepSeconds, out.resolve(target + "-" + rate)),
                new PrintStream(new ByteArrayOutputStream(), true)).onMeasurement(() -> {
                    cpu[0] = processes.sample();
                    db.add(processes.databaseCounters());
                }, () -> {
                    cpu[1] = processes.sample();
                    db.add(processes.databaseCounters());
                }).nativeTransport(generatorNativeTransport).run();
        Histogram all = null;
        long count = 0;
        for (RunReport.TypeSummary t : r.types()) {
            if (TRANSACTIONS.contains(t.type())) {
                all = all == null ? t.corrected().copy() : add(all, t.corrected());
                count += t.count();
            }
        }
        double p50 = all == null ? 0 : all.getValueAtPercentile(50) / 1e6;
        double p99 = all == null ? Double.POSITIVE_INFINITY : all.getValueAtPercentile(99) / 1e6;
        long errors = r.mismatches().values().stream().mapToLong(Long::longValue).sum();
        String why = !r.valid() ? "generator behind" : errors > 0 ? "errors " + r.mismatches() : p99 > p99Limit ? "p99 over limit" : "";
        double[] perTxn = new double[3];
        double[] machine = {Double.NaN, Double.NaN};
        if (cpu[0] != null && cpu[1] != null) {
            machine[0] = cpu[1][3] - cpu[0][3];
            machine[1] = cpu[1][4] - cpu[0][4];
        }
        for (int i = 0; i < 3; i++) {
            perTxn[i] = cpu[0] == null || cpu[1] == null || count == 0 ? Double.NaN : (cpu[1][i] - cpu[0][i]) * 1000 / count;
        }
        double[] dbPerTxn = {Double.NaN, Double.NaN, Double.NaN};
        double[] background = {Double.NaN, Double.NaN};
        if (db.size() == 2 && count > 0) {
            // the counting query's own commit is in the difference: one, left in (it is within the noise of a step)
            double[] a = db.get(0).get();
            double[] b = db.get(1).get();
            for (int i = 0; i < 3; i++) {
                dbPerTxn[i] = (b[i] - a[i]) / count;
            }
            background[0] = b[3] - a[3];
            background[1] = b[4] - a[4];
        }
        Step s = new Step(rate, count / (double) stepSeconds, p50, p99, errors, r.lagP99Millis(), r.valid(), why.isEmpty(), why,
                perTxn[0], processes.databaseFound() ? perTxn[1] : 0, perTxn[2], dbPerTxn[0], dbPerTxn[1], dbPerTxn[2], background[0], background[1],
                machine[0], machine[1], r.secondsOver(TRANSACTIONS, p99Limit));
        System.out.printf(Locale.ROOT, "%-9s %6d/s achieved %8.1f/s p50 %6.2f ms p99 %8.2f ms (seconds over %s) errors %4d lag p99 %5.2f ms"
                + " cpu us/txn %s db/txn %s ckpt/autovac %s iowait/steal ms %s %s%n", target, rate, s.achieved(), p50, p99, secondsColumn(s), errors,
                s.lagP99(), cpuColumns(s), dbColumns(s), backgroundColumns(s), waitColumns(s), s.pass() ? "PASS" : "FAIL (" + why + ")");
        return s;
    }

    private FleetConfig config(String target, int port, int rate, int seconds, Path report) {
        return new FleetConfig("127.0.0.1", port, terminals, FIRST_TID, MID, "FLEET-", Bcd.fromHex(FLEET_KEY), "123456", "888888", rate,
                warmup, seconds, Mix.parse(mix), rate, 5_000, maxLag, report, 1, connectRate, Fault.Plan.NONE, null, false, false, target.equals("echo"))
                .withTerminalsPerConnection(terminalsPerConnection);
    }

    private static Histogram add(Histogram into, Histogram h) {
        into.add(h);
        return into;
    }

    private void provision(Path dir, int dbPort) throws IOException {
        provision(dir, dbPort, terminals);
    }

    static void provision(Path dir, int dbPort, int terminals) throws IOException {
        List<String> args = new ArrayList<>(List.of("provision-fleet", "--data-dir", dir.toString(), "--db-port", String.valueOf(dbPort),
                "--count", String.valueOf(terminals), "--first-tid", String.valueOf(FIRST_TID), "--mid", MID, "--fleet-key", FLEET_KEY,
                "--password-iterations", "1000"));
        if (new CommandLine(new HostCommand()).execute(args.toArray(String[]::new)) != 0) {
            throw new IOException("provisioning failed");
        }
    }

    private String render(Map<String, List<Step>> results) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "# End-to-end capacity, %s%n%n%d terminals (%s), mix %s, %d s warm-up + %d s per step,"
                        + " pass = p99 <= %.0f ms (all transactions, coordinated-omission corrected), no errors, generator lag p99 <= %.0f ms.%n"
                        + "Each target had %d s of unmeasured load after it started, before its first step. %s%n"
                        + "Machine: %d cores, Java %s; targets run in their own JVM (%s; the JDK is in each one's heading), the generator in this one (sockets on %s).%n"
                        + "Databases under %s.%n%n",
                LocalDate.now(), terminals, terminalsPerConnection == 1 ? "persistent connections"
                        : terminalsPerConnection + " per persistent connection, as behind a NAC", mix, warmup, stepSeconds, p99Limit, maxLag, targetWarmup, interleave
                        ? "All targets were started first and stepped in turns, one step of each per round (--interleave)."
                        : "Each target was stepped to the end of its ladder before the next started.", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), jvm, generatorNativeTransport ? "epoll where it loads" : "NIO",
                dataRoot == null ? "the system's temporary directory (" + System.getProperty("java.io.tmpdir") + ")" : dataRoot));
        Map<String, Capacity> capacity = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            b.append("## ").append(e.getKey()).append(" (JDK ").append(jdks.get(e.getKey())).append(")\n\n| rate/s | achieved/s | p50 ms | p99 ms | seconds with p99 over the limit |"
                    + " errors | lag p99 ms | CPU us/txn target / database / generator | per txn: commits / WAL bytes / WAL syncs"
                    + " | checkpoints / autovacuum runs | machine iowait / steal ms | result |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Step s : e.getValue()) {
                b.append(String.format(Locale.ROOT, "| %d | %.0f | %.2f | %.2f | %s | %d | %.2f | %s | %s | %s | %s | %s |%n", s.rate(),
                        s.achieved(), s.p50(), s.p99(), secondsColumn(s), s.errors(), s.lagP99(), cpuColumns(s), dbColumns(s),
                        backgroundColumns(s), waitColumns(s),
                        s.pass() ? "pass" : "fail: " + s.why()));
            }
            Capacity c = Capacity.of(e.getValue().stream().map(s -> Map.entry(s.rate(), s.pass())).toList());
            capacity.put(e.getKey(), c);
            b.append("\nhighest passing rate: **").append(c.passed()).append("/s**").append(c.failedAbove().isPresent()
                    ? " (lowest failing rate above it: " + c.failedAbove().getAsInt() + "/s)" : " (no rate above it failed)").append("\n\n");
        }
        b.append("## Ratios (this run)\n\n");
        // targets measured more than once: each measure against the one stepped beside it, and the median of those
        List<String> pairs = PairRatios.lines(capacity.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().passed(), (x, y) -> x, LinkedHashMap::new)));
        pairs.forEach(line -> b.append("- ").append(line).append('\n'));
        if (!pairs.isEmpty()) {
            b.append("\nEvery measure against every other:\n\n");
        }
        // every measure of the host against every measure of the others: with targets alternating, the pairs side by side;
        // each with the bounds the ladders' steps leave it (a capacity lies between its last pass and the next failure)
        for (var host : capacity.entrySet()) {
            if (!host.getKey().startsWith("posfleet")) {
                continue;
            }
            for (var e : capacity.entrySet()) {
                int other = e.getValue().passed();
                if (!e.getKey().startsWith("posfleet") && other > 0) {
                    b.append(String.format(Locale.ROOT, "- %s / %s: **%.2fx** (%d/s vs %d/s; the ladders' steps bound it: %s)%n",
                            host.getKey(), e.getKey(), host.getValue().passed() / (double) other, host.getValue().passed(), other,
                            host.getValue().ratioBoundsText(e.getValue())));
                }
            }
        }
        return b.toString();
    }

    /** Measured seconds whose own p99 was over the limit: one stalled second, or the whole step. */
    private static String secondsColumn(Step s) {
        return s.secondsOver().over() + " of " + s.secondsOver().of();
    }

    private static String cpuColumns(Step s) {
        return Double.isNaN(s.cpuTarget()) ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f", s.cpuTarget(), s.cpuDatabase(), s.cpuGenerator());
    }

    private static String dbColumns(Step s) {
        return Double.isNaN(s.commits()) ? "n/a" : String.format(Locale.ROOT, "%.2f / %.0f / %.2f", s.commits(), s.walBytes(), s.walSyncs());
    }

    /** The machine's iowait and steal milliseconds (summed over its CPUs) in the measured window. */
    private static String waitColumns(Step s) {
        return Double.isNaN(s.iowaitMs()) ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f", s.iowaitMs(), s.stealMs());
    }

    /** Checkpoints and autovacuum runs that finished in the measured window. */
    private static String backgroundColumns(Step s) {
        return Double.isNaN(s.checkpoints()) ? "n/a" : String.format(Locale.ROOT, "%.0f / %.0f", s.checkpoints(), s.autovacuums());
    }

    static void awaitPort(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the target exited: see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException("the target did not listen within 120 s: see " + log);
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct free ports: all held open until all are chosen, so that two never come out the same. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }
}
