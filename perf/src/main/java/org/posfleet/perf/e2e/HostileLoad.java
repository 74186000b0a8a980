package org.posfleet.perf.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.posfleet.fleet.load.Fault;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.load.FleetRun;
import org.posfleet.fleet.load.Mix;
import org.posfleet.fleet.report.RunReport;
import org.posfleet.protocol.iso.Bcd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hostile connections against a host serving a fleet: the fleet's p99 and the host's memory are measured without
 * them, then again while this process keeps up thousands of slowloris sockets (a frame begun and fed one byte every
 * few seconds, reopened when the host closes it), a connection flood (connect and close at once) and oversized
 * length prefixes. Good terminals' p99 should stay within 2x and the host's memory bounded.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.e2e.HostileLoad [--slow 5000] [--flood 500] ...</pre>
 */
@Command(name = "hostile-load", mixinStandardHelpOptions = true, description = "A fleet's p99 with and without hostile connections.")
public final class HostileLoad implements Callable<Integer> {

    @Option(names = "--terminals", defaultValue = "200")
    int terminals;

    @Option(names = "--rate", defaultValue = "300", description = "the good fleet's rate, per second")
    int rate;

    @Option(names = "--seconds", defaultValue = "15", description = "measured seconds of each phase")
    int seconds;

    @Option(names = "--slow", defaultValue = "5000", description = "slowloris sockets held open")
    int slow;

    @Option(names = "--flood", defaultValue = "500", description = "connections opened and closed per second")
    int flood;

    @Option(names = "--oversized", defaultValue = "50", description = "connections per second sending a length prefix over the limit")
    int oversized;

    @Option(names = "--jvm", defaultValue = "-Xms1g -Xmx2g -XX:+UseZGC", description = "the host's JVM options (default: ${DEFAULT-VALUE}:"
            + " the collector docs/host.md recommends for a host holding many connections; G1's young pauses grow with them)")
    String jvm;

    @Option(names = "--max-connections-per-address", defaultValue = "0", description = "the host's per-address connection limit (0: none)")
    int perAddressConnections;

    @Option(names = "--max-connects-per-second-per-address", defaultValue = "0", description = "the host's per-address connect rate (0: none)")
    int perAddressConnects;

    @Option(names = "--attacker-priority", defaultValue = "normal", description = "normal: the attacker competes for this machine's"
            + " cores like any process; low: it runs at the lowest scheduling priority (POSIX nice 19) and gets only the CPU the host"
            + " and the fleet leave idle, standing in for an attacker on machines of its own (default: ${DEFAULT-VALUE})")
    String attackerPriority;

    @Option(names = "--attack-only", description = "be only the attacker, against this port, until killed (the runner starts"
            + " it as a process of its own, so that the attack does not share the generator's JVM)")
    Integer attackOnly;

    private final AtomicLong slowOpened = new AtomicLong();
    private final AtomicLong slowClosedByHost = new AtomicLong();
    private final AtomicLong flooded = new AtomicLong();
    private final AtomicLong oversizedSent = new AtomicLong();
    private volatile boolean attacking;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HostileLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (attackOnly != null) {
            Vertx vertx = Vertx.vertx();
            attacking = true;
            attack(vertx, attackOnly);
            while (true) {
                Thread.sleep(5_000);
                System.out.printf("slowloris opened %d (closed by the host %d), flood %d, oversized %d%n", slowOpened.get(), slowClosedByHost.get(),
                        flooded.get(), oversizedSent.get());
            }
        }
        Path dir = Files.createTempDirectory("posfleet-hostile");
        int[] ports = SteppedRun.freePorts(3);
        int port = ports[0];
        int dbPort = ports[1];
        int adminPort = ports[2];
        Path log = dir.resolve("host.log");
        Process host = SteppedRun.start("posfleet", dir, port, dbPort, jvm, 0, adminPort, log, "--max-connections-per-address",
                String.valueOf(perAddressConnections), "--max-connects-per-second-per-address", String.valueOf(perAddressConnects));
        Vertx vertx = Vertx.vertx();
        try {
            SteppedRun.awaitPort(port, host, log);
            SteppedRun.provision(dir, dbPort, terminals);
            String token = token(dir, dbPort);
            fleet(port, 20); // JIT warm-up, not measured
            long[] before = saleBuckets(adminPort, token);
            RunReport calm = fleet(port, seconds);
            long[] between = saleBuckets(adminPort, token);
            long calmRss = ProcessStats.rssKiB(host.pid());

            attacking = true;
            Path attackLog = dir.resolve("attacker.log");
            List<String> attackCmd = new ArrayList<>();
            if (attackerPriority.equals("low")) {
                attackCmd.addAll(List.of("nice", "-n", "19"));
            } else if (!attackerPriority.equals("normal")) {
                throw new IllegalArgumentException("--attacker-priority is normal or low");
            }
            attackCmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), HostileLoad.class.getName(), "--attack-only", String.valueOf(port),
                    "--slow", String.valueOf(slow), "--flood", String.valueOf(flood), "--oversized", String.valueOf(oversized)));
            Process attacker = new ProcessBuilder(attackCmd).redirectErrorStream(true).redirectOutput(attackLog.toFile()).start();
            Thread.sleep(5_000); // let the slow sockets build up
            long[] peak = {ProcessStats.rssKiB(host.pid())};
            Thread sampler = new Thread(() -> {
                while (attacking) {
                    try {
                        peak[0] = Math.max(peak[0], ProcessStats.rssKiB(host.pid()));
                        Thread.sleep(500);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long[] stormStart = saleBuckets(adminPort, token);
            RunReport stormy = fleet(port, seconds);
            long[] after = saleBuckets(adminPort, token);
            attacking = false;
            attacker.destroy();
            attacker.waitFor();
            List<String> attackLines = Files.readAllLines(attackLog);
            String attackCounts = attackLines.isEmpty() ? "" : attackLines.get(attackLines.size() - 1);

            double p99Calm = p99(calm);
            double p99Stormy = p99(stormy);
            System.out.printf(Locale.ROOT, "%nfleet of %d terminals at %d/s, %d s per phase%n", terminals, rate, seconds);
            System.out.printf(Locale.ROOT, "calm:    p99 %.2f ms, errors %s, host RSS %.0f MiB%n", p99Calm, calm.mismatches(), calmRss / 1024.0);
            System.out.printf(Locale.ROOT, "hostile: p99 %.2f ms, errors %s, host RSS peak %.0f MiB%n", p99Stormy, stormy.mismatches(), peak[0] / 1024.0);
            System.out.printf(Locale.ROOT, "hostile connections (from a process of their own, %s priority): %s%n", attackerPriority, attackCounts);
            System.out.printf(Locale.ROOT, "host per-address limits: %d connections, %d connects/s; refused at accept: %s%n", perAddressConnections,
                    perAddressConnects, refusedCounts(adminPort, token));
            System.out.printf(Locale.ROOT, "p99 ratio hostile/calm: %.2fx as the terminals see it (goal: within 2x)%n", p99Stormy / p99Calm);
            double hostCalm = p99Of(before, between);
            double hostStormy = p99Of(stormStart, after);
            System.out.printf(Locale.ROOT, "inside the host (frame in to reply out, its own histogram): sale p99 %.2f ms calm, %.2f ms hostile: %.2fx%n",
                    hostCalm, hostStormy, hostStormy / hostCalm);
            return 0;
        } finally {
            attacking = false;
            vertx.close().toCompletionStage().toCompletableFuture().get();
            host.destroy();
            host.waitFor();
            SteppedRun.deleteTree(dir); // the host's database and log
        }
    }

    private RunReport fleet(int port, int measured) throws Exception {
        FleetConfig cfg = new FleetConfig("127.0.0.1", port, terminals, SteppedRun.FIRST_TID, SteppedRun.MID, "FLEET-",
                Bcd.fromHex(SteppedRun.FLEET_KEY), "123456", "888888", rate, 2, measured, Mix.parse("sale=80,void=20"), 7, 5_000, 5,
                null, 1, 500, Fault.Plan.NONE, null, false, false);
        return new FleetRun(cfg, new PrintStream(new ByteArrayOutputStream(), true)).run();
    }

    /** A read-only admin token, made as an operator would (host create-token), printed once. */
    private static String token(Path dir, int dbPort) throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true));
        try {
            new CommandLine(new org.posfleet.host.cli.HostCommand()).execute("create-token", "--data-dir", dir.toString(), "--db-port",
                    String.valueOf(dbPort), "--name", "hostile-load", "--role", "read");
        } finally {
            System.setOut(stdout);
        }
        String[] lines = printed.toString().strip().split("\\R");
        return lines[lines.length - 1].strip();
    }

    private static final double[] BOUNDS = new double[200];
    private static int bounds;

    /** The host's cumulative SALE latency histogram buckets (Prometheus, seconds), in order of their bounds. */
    private static long[] saleBuckets(int adminPort, String token) throws Exception {
        String body = metrics(adminPort, token);
        List<Long> counts = new ArrayList<>();
        int i = 0;
        for (String line : body.split("\n")) {
            if (line.startsWith("posfleet_message_latency_seconds_bucket{kind=\"SALE\"")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
                BOUNDS[i++] = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                counts.add((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        bounds = i;
        return counts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The host's posfleet_connections_refused counters, as "reason=count" pairs. */
    private static String refusedCounts(int adminPort, String token) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : metrics(adminPort, token).split("\n")) {
            if (line.startsWith("posfleet_connections_refused_total{")) {
                out.append(line, line.indexOf('"') + 1, line.lastIndexOf('"')).append('=')
                        .append((long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).append(' ');
            }
        }
        return out.length() == 0 ? "none" : out.toString().strip();
    }

    private static String metrics(int adminPort, String token) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + adminPort + "/api/metrics")).header("Authorization", "Bearer " + token).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** p99 in ms (the upper bound of its bucket) of what happened between two scrapes. */
    private static double p99Of(long[] from, long[] to) {
        long total = to[to.length - 1] - from[from.length - 1];
        for (int i = 0; i < Math.min(bounds, to.length); i++) {
            if (to[i] - from[i] >= Math.ceil(0.99 * total)) {
                return BOUNDS[i] * 1000;
            }
        }
        return Double.NaN;
    }

    private static double p99(RunReport r) {
        return r.types().stream().filter(t -> t.type().equals("SALE")).mapToDouble(RunReport.TypeSummary::p99).findFirst().orElse(Double.NaN);
    }

    /** Starts the three kinds of hostile connection; they stop when {@code attacking} turns false. */
    private void attack(Vertx vertx, int port) {
        List<NetClient> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            clients.add(vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0." + (2 + i)).setConnectTimeout(10_000)));
        }
        for (int i = 0; i < slow; i++) {
            int n = i;
            vertx.setTimer(1 + i / 2, t -> slowloris(vertx, clients.get(n % clients.size()), port));
        }
        vertx.setPeriodic(10, t -> {
            if (!attacking) {
                vertx.cancelTimer(t);
                return;
            }
            for (int i = 0; i < flood / 100; i++) {
                clients.get(i % clients.size()).connect(port, "127.0.0.1").onSuccess(s -> {
                    flooded.incrementAndGet();
                    s.close();
                });
            }
            for (int i = 0; i < Math.max(1, oversized / 100); i++) {
                clients.get(i % clients.size()).connect(port, "127.0.0.1").onSuccess(s -> {
                    oversizedSent.incrementAndGet();
                    s.write(Buffer.buffer(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x60, 0, 0, 0, 0}));
                    vertx.setTimer(2_000, x -> s.close());
                });
            }
        });
    }

    /** A frame begun and never finished: a byte every 3 s; reopened when the host closes it. */
    private void slowloris(Vertx vertx, NetClient client, int port) {
        if (!attacking) {
            return;
        }
        client.connect(port, "127.0.0.1").onComplete(ar -> {
            if (ar.failed()) {
                vertx.setTimer(1_000, t -> slowloris(vertx, client, port));
                return;
            }
            NetSocket s = ar.result();
            slowOpened.incrementAndGet();
            s.write(Buffer.buffer(new byte[] {0x00, 0x40})); // a 64-byte frame announced
            long timer = vertx.setPeriodic(3_000, t -> s.write(Buffer.buffer(new byte[] {0x60})));
            s.closeHandler(v -> {
                vertx.cancelTimer(timer);
                slowClosedByHost.incrementAndGet();
                vertx.setTimer(100, t -> slowloris(vertx, client, port));
            });
        });
    }

}
