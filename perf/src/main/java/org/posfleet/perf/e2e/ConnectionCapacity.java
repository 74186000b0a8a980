package org.posfleet.perf.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.posfleet.crypto.CipherSuite;
import org.posfleet.crypto.FleetKeys;
import org.posfleet.fleet.terminal.BlockingTerminal;
import org.posfleet.protocol.iso.Bcd;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many idle connected terminals one host process holds, and what each costs: starts the host in its own JVM,
 * opens idle terminal connections in steps from this process (spread over loopback source addresses), and after
 * each step records the host's resident memory and the time a provisioned terminal takes to sign on and make a
 * sale through all of it. Memory per connection is the growth of the host's resident set over the connections
 * added. The process that opens the connections needs a file descriptor for each: its limit (and the host's) caps
 * what can be measured on a machine, which the result says.
 *
 * <pre>java -cp perf/target/benchmarks.jar org.posfleet.perf.e2e.ConnectionCapacity [--steps 5000,10000,...]</pre>
 */
@Command(name = "connection-capacity", mixinStandardHelpOptions = true, description = "Idle connections one host holds, and memory each.")
public final class ConnectionCapacity implements Callable<Integer> {

    private static final long PROBE_TID = SteppedRun.FIRST_TID;

    @Option(names = "--steps", split = ",", defaultValue = "2000,5000,10000,15000,19000", description = "connections held after each step")
    List<Integer> steps;

    @Option(names = "--jvm", defaultValue = "-Xms1g -Xmx2g", description = "the host's JVM options (default: ${DEFAULT-VALUE})")
    String jvm;

    @Option(names = "--source-addresses", defaultValue = "4", description = "loopback source addresses to spread connections over")
    int sources;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectionCapacity()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("posfleet-capacity");
        int[] ports = SteppedRun.freePorts(2);
        int port = ports[0];
        int dbPort = ports[1];
        Path log = dir.resolve("host.log");
        Process host = SteppedRun.start("posfleet", dir, port, dbPort, jvm, 0, -1, log, "--idle-timeout", "PT30M");
        Vertx vertx = Vertx.vertx();
        try {
            SteppedRun.awaitPort(port, host, log);
            SteppedRun.provision(dir, dbPort, 1);
            System.out.printf("file descriptor limit of this process: %s; host pid %d%n", fdLimit(), host.pid());
            List<NetClient> clients = new ArrayList<>();
            for (int i = 0; i < sources; i++) {
                clients.add(vertx.createNetClient(new NetClientOptions().setLocalAddress("127.0.0." + (1 + i)).setConnectTimeout(30_000)));
            }
            List<NetSocket> held = new ArrayList<>();
            probe(port, 0); // warm the sale path before the baseline
            long baseline = ProcessStats.rssKiB(host.pid());
            System.out.printf(Locale.ROOT, "%10s %12s %14s %16s%n", "connected", "host RSS MiB", "KiB per conn", "sign-on+sale ms");
            System.out.printf(Locale.ROOT, "%10d %12.1f %14s %16.1f%n", 0, baseline / 1024.0, "-", probe(port, 1));
            for (int target : steps) {
                while (held.size() < target) {
                    int batch = Math.min(500, target - held.size());
                    List<Future<NetSocket>> opening = new ArrayList<>();
                    for (int i = 0; i < batch; i++) {
                        opening.add(clients.get((held.size() + i) % clients.size()).connect(port, "127.0.0.1"));
                    }
                    Future.join(opening).toCompletionStage().toCompletableFuture().get();
                    int failed = 0;
                    for (Future<NetSocket> f : opening) {
                        if (f.succeeded()) {
                            held.add(f.result());
                        } else {
                            failed++;
                        }
                    }
                    if (failed > 0) {
                        System.out.printf("stopped at %d connections: %d of the last %d failed (%s)%n", held.size(), failed, batch,
                                opening.stream().filter(Future::failed).findFirst().map(f -> f.cause().toString()).orElse(""));
                        report(host, baseline, held.size(), port);
                        return 0;
                    }
                }
                Thread.sleep(2000); // let the host settle its buffers
                report(host, baseline, held.size(), port);
            }
            return 0;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
            host.destroy();
            host.waitFor();
            SteppedRun.deleteTree(dir); // the host's database and log
        }
    }

    private void report(Process host, long baseline, int connected, int port) throws Exception {
        long rss = ProcessStats.rssKiB(host.pid());
        System.out.printf(Locale.ROOT, "%10d %12.1f %14.1f %16.1f%n", connected, rss / 1024.0, (rss - baseline) / (double) Math.max(1, connected),
                probe(port, connected + 1));
    }

    /** One terminal signs on and makes a sale through the held connections; its time in ms. */
    private static double probe(int port, int n) throws Exception {
        String tid = String.format("%08d", PROBE_TID);
        long t0 = System.nanoTime();
        try (BlockingTerminal t = new BlockingTerminal("127.0.0.1", port, tid, SteppedRun.MID, "FLEET-" + tid,
                FleetKeys.tmkFor(Bcd.fromHex(SteppedRun.FLEET_KEY), tid), CipherSuite.TDES)) {
            t.continueStanAfter(1000 + 10 * n); // each probe is the same terminal, later
            if (t.signOn().responseCode() != org.posfleet.protocol.message.ResponseCode.APPROVED) {
                throw new IOException("probe sign-on refused");
            }
            String rc = t.sale(100, false).message().string(39);
            if (!"00".equals(rc)) {
                throw new IOException("probe sale answered " + rc);
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }


    private static String fdLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.replaceAll("\\s+", " ").substring("Max open files ".length());
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "unknown";
    }
}
