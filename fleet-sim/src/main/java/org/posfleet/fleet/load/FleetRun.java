package org.posfleet.fleet.load;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.posfleet.crypto.FleetKeys;
import org.posfleet.fleet.metrics.FleetMetrics;
import org.posfleet.fleet.report.RunReport;
import org.posfleet.fleet.terminal.HostLink;
import org.posfleet.fleet.terminal.VirtualTerminal;

/**
 * Runs a fleet against a host: connects and signs on every terminal, then produces arrivals open loop at the
 * configured rate, hands each to a free terminal (an arrival that finds none waits, and its waiting counts in
 * the corrected latency), prints a live line every second, and at the end writes the report.
 *
 * <p>Terminals and schedule run on one event loop: no locks, and the machine's second core stays with the host
 * under test. Only the live line and each second's histograms are made on a reporter thread, from recorders made
 * to be read while the event loop records.
 */
public final class FleetRun {

    /** Arrivals waiting for a free terminal beyond this are dropped and counted: the system is far behind. */
    private static final int MAX_QUEUE = 100_000;

    private final FleetConfig config;
    private final PrintStream out;
    private final FleetMetrics metrics = new FleetMetrics();
    private final ArrayDeque<VirtualTerminal> idle = new ArrayDeque<>();
    private final ArrayDeque<VirtualTerminal.Arrival> queue = new ArrayDeque<>();
    private final List<VirtualTerminal> terminals = new ArrayList<>();
    private final List<RunReport.Second> seconds = new ArrayList<>();
    private final SplittableRandom random;
    private long start;
    private long produced;
    private volatile boolean finished;
    private long end = Long.MAX_VALUE;
    private long measureStart;
    private long warmupProduced;

    public FleetRun(FleetConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.random = new SplittableRandom(config.seed());
    }

    private Runnable measurementStarted = () -> { };
    private Runnable measurementEnded = () -> { };

    /**
     * Hooks run on the fleet's event loop when the measured window opens (after sign-on and warm-up) and when
     * its last arrival is produced: a benchmark samples what it measures about other processes there.
     */
    public FleetRun onMeasurement(Runnable started, Runnable ended) {
        this.measurementStarted = started;
        this.measurementEnded = ended;
        return this;
    }

    private boolean nativeTransport = true;

    /**
     * Sockets on epoll where its library loads (the default), else on Java's NIO; false: NIO always. The generator's
     * CPU per transaction is mostly the kernel's side of its sockets and wake-ups (docs/performance.md, run 10).
     */
    public FleetRun nativeTransport(boolean on) {
        this.nativeTransport = on;
        return this;
    }

    /** Runs to the end and returns the report (also written to the report directory). */
    public RunReport run() throws Exception {
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(nativeTransport));
        try {
            CompletableFuture<RunReport> done = new CompletableFuture<>();
            Context ctx = vertx.getOrCreateContext();
            ctx.runOnContext(v -> {
                try {
                    begin(vertx, done);
                } catch (RuntimeException e) { // a run that cannot start must say so, not wait forever
                    done.completeExceptionally(e);
                }
            });
            return done.get();
        } finally {
            reporter.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    private void begin(Vertx vertx, CompletableFuture<RunReport> done) {
        List<NetClient> clients = new ArrayList<>();
        for (int a = 0; a < Math.max(1, config.sourceAddresses()); a++) {
            NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000);
            if (config.sourceAddresses() > 1) {
                // bound before it connects, a socket takes its port from a search of every port bound on the machine,
                // which grows with the connections already open (10,000 took minutes); unbound, connect picks one fast
                options.setLocalAddress("127.0.0." + (1 + a));
            }
            if (config.tls() != null) {
                // the host's name or address must be in its certificate, as for any TLS client
                options.setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
                        .setTrustOptions(new io.vertx.core.net.PfxOptions().setPath(config.tls().trustStore().toString())
                                .setPassword(config.tls().password()));
            }
            clients.add(vertx.createNetClient(options));
        }
        int perLink = config.terminalsPerConnection();
        HostLink link = null;
        for (int i = 0; i < config.terminals(); i++) {
            // with shared connections the source addresses are spread over links, not over terminals
            NetClient client = clients.get((i / perLink) % clients.size());
            if (perLink > 1 && i % perLink == 0) {
                link = new HostLink(client, config.host(), config.port(), metrics, config.echo());
            }
            String tid = String.format("%08d", config.firstTid() + i);
            VirtualTerminal.Identity id = new VirtualTerminal.Identity(tid, config.mid(), config.serialPrefix() + tid,
                    FleetKeys.tmkFor(config.fleetKey(), tid), FleetKeys.panFor(tid), "123456", config.operatorPassword(),
                    config.voidPassword());
            terminals.add(new VirtualTerminal(vertx, client, config.host(), config.port(), id, metrics, config.timeoutMillis(), this::onReady,
                    config.faults(), config.seed(), config.connectionPerTransaction(), config.echo(), link));
        }
        out.printf("fleet: %d terminals -> %s:%d, %s (after %d s warm-up), mix %s, faults %s, seed %d, sockets on %s%n",
                config.terminals(), config.host(), config.port(), config.closedLoop() ? "CLOSED LOOP for " + config.measuredSeconds() + " s"
                        : config.schedule() + ", open loop" + (config.connectionPerTransaction() ? ", a connection per transaction" : ""),
                config.warmupSeconds(), config.mix(), config.faults(), config.seed(), vertx.isNativeTransportEnabled()
                        ? io.vertx.core.transport.Transport.nativeTransport().name() : "NIO");
        if (perLink > 1) {
            out.printf("%d terminals per connection (as behind a NAC): %d connections%n", perLink, (config.terminals() + perLink - 1) / perLink);
        }
        if (config.tls() != null) {
            out.println("over TLS, trusting " + config.tls().trustStore().getFileName());
        }
        long signOnStart = System.nanoTime();
        // terminals connect and sign on at the configured rate: a storm by choice, never by accident
        for (int i = 0; i < terminals.size(); i++) {
            VirtualTerminal t = terminals.get(i);
            vertx.setTimer(1 + (long) (i * 1000 / config.connectRate()), id -> t.start());
        }
        long waitTimer = vertx.setPeriodic(100, id -> {
            // every terminal failed to connect three times and none got in: the host is not there (or not trusted)
            boolean hopeless = idle.isEmpty() && metrics.connectFailures.get() >= 3L * terminals.size();
            if (idle.size() == terminals.size() || hopeless || System.nanoTime() - signOnStart > signOnDeadlineNanos()) {
                vertx.cancelTimer(id);
                out.printf("signed on: %d of %d terminals in %.1f s%s%n", idle.size(), terminals.size(), (System.nanoTime() - signOnStart) / 1e9,
                        metrics.mismatches().isEmpty() ? "" : ", problems on the way: " + metrics.mismatches());
                startLoad(vertx, done);
            }
        });
    }

    /** How long the sign-on phase may take: the time the connect rate needs, with room for a slow host. */
    private long signOnDeadlineNanos() {
        double seconds = Math.max(60, 1.5 * config.terminals() / config.connectRate() + 30);
        return (long) (seconds * 1e9);
    }

    private void startLoad(Vertx vertx, CompletableFuture<RunReport> done) {
        start = System.nanoTime();
        long measureFrom = start + config.warmupSeconds() * 1_000_000_000L;
        RateProfile schedule = config.schedule();
        long end = measureFrom + (long) (schedule.durationSeconds() * 1e9);
        this.end = end;
        if (config.warmupSeconds() > 0) {
            out.printf("warming up for %d s%n", config.warmupSeconds());
        }
        vertx.setTimer(Math.max(1, config.warmupSeconds() * 1000L), id -> {
            metrics.reset(); // sign-ons and warm-up are not part of the measurement
            measureStart = System.nanoTime();
            measurementStarted.run();
            // one line per whole second of measurement, aligned with its start, made on the reporter's thread
            reporter.scheduleAtFixedRate(() -> {
                if (!finished) {
                    tick();
                }
            }, 1000, 1000, TimeUnit.MILLISECONDS);
        });
        if (config.closedLoop()) {
            // closed loop: every ready terminal goes again at once; there is no schedule to fall behind
            List<VirtualTerminal> ready = new ArrayList<>(idle);
            idle.clear();
            ready.forEach(this::onReady);
            vertx.setTimer(Math.max(1, (end - System.nanoTime()) / 1_000_000), id -> {
                finished = true;
                measurementEnded.run();
                vertx.setTimer(Math.min(config.timeoutMillis(), 3000) + 100, t -> lastTick(vertx, done));
            });
            return;
        }
        double warmupInterval = 1e9 / Math.max(1e-9, schedule.rateAt(0));
        // the event loop's own timer wakes it when the next arrival is due: to the microsecond (its wait takes a
        // deadline in nanoseconds), with no thread of its own to park and wake it (that thread was a fifth of the
        // generator's CPU, its wake-ups of the event loop more: docs/performance.md, run 16)
        ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
        EventLoop loop = ctx.nettyEventLoop();
        Runnable[] pace = new Runnable[1];
        // the timer runs on the bare event loop thread: dispatched on the fleet's context, as a handler would be
        Runnable onTimer = () -> ctx.dispatch(pace[0]);
        pace[0] = () -> {
            if (!finished) {
                produceDue(vertx, done, schedule, warmupInterval, measureFrom, end);
                if (!finished && nextDue != Long.MAX_VALUE) {
                    loop.schedule(onTimer, Math.max(0, nextDue - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
            }
        };
        pace[0].run();
    }

    /** When the next arrival is due (System.nanoTime), or Long.MAX_VALUE when the schedule has no more. */
    private long nextDue = Long.MAX_VALUE;

    /** Queues every arrival whose intended time has come, dispatches, and notes when the next is due. */
    private void produceDue(Vertx vertx, CompletableFuture<RunReport> done, RateProfile schedule, double warmupInterval, long measureFrom,
                            long end) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        while (!finished) {
            long intended;
            if (warmupProduced >= 0) {
                intended = start + (long) (warmupProduced * warmupInterval);
                if (intended >= measureFrom || schedule.rateAt(0) == 0) {
                    warmupProduced = -1; // the warm-up is over: the measured schedule starts at measureFrom
                    continue;
                }
            } else {
                double at = schedule.timeOf(produced);
                if (Double.isInfinite(at)) {
                    next = end; // no more arrivals: wake at the end to finish
                    break;
                }
                intended = measureFrom + (long) (at * 1e9);
            }
            if (intended > now || intended >= end) {
                next = Math.min(intended, end); // the last wake-up is the schedule's end, which finishes the run
                break;
            }
            metrics.lag(now - intended);
            if (warmupProduced >= 0) {
                warmupProduced++;
            } else {
                produced++;
            }
            if (queue.size() >= MAX_QUEUE) {
                metrics.dropped.incrementAndGet();
            } else {
                queue.add(new VirtualTerminal.Arrival(config.mix().draw(random), intended));
            }
        }
        nextDue = next;
        dispatch();
        if (now >= end && !finished) {
            finished = true;
            measurementEnded.run();
            // let the last replies come back, settle every terminal's batch, then report
            vertx.setTimer(Math.min(config.timeoutMillis(), 3000) + 100, t -> lastTick(vertx, done));
        }
    }

    private void onReady(VirtualTerminal t) {
        if (config.closedLoop() && start != 0 && !finished && System.nanoTime() < end) {
            t.execute(new VirtualTerminal.Arrival(config.mix().draw(random), System.nanoTime()));
            return;
        }
        idle.add(t);
        dispatch();
    }

    private void dispatch() {
        while (!queue.isEmpty() && !idle.isEmpty()) {
            VirtualTerminal t = idle.poll();
            if (t.state() == VirtualTerminal.State.READY) {
                t.execute(queue.poll());
            }
        }
    }

    /**
     * The seconds' lines and histograms are made on a thread of their own: swapping and adding a second's histograms
     * held the event loop 2-4 ms every second (18 ms while cold), and every arrival due meanwhile went out late
     * (docs/performance.md, run 16). Its recorders are made to be read from another thread while the event loop
     * records.
     */
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-reporter");
        t.setDaemon(true);
        return t;
    });

    /**
     * The last (partial) second, with the replies that came back after the schedule ended (the slowest of the run are
     * often among them, and each second's figures must add up to the run's), then every terminal settles. The
     * reporter runs its tasks in order, so this line comes after every periodic one.
     */
    private void lastTick(Vertx vertx, CompletableFuture<RunReport> done) {
        Context ctx = vertx.getOrCreateContext();
        reporter.execute(() -> {
            try {
                tick();
            } finally { // a line that could not be made must not leave the run waiting for its settlements forever
                ctx.runOnContext(v -> settleAll(vertx, done));
            }
        });
    }

    /** One second's line and histograms: on the reporter's thread only. */
    private void tick() {
        FleetMetrics.Interval i = metrics.interval();
        int second = seconds.size() + 1;
        long count = i.all().getTotalCount();
        double target = config.closedLoop() ? 0 : config.schedule().rateAt(second - 0.5);
        RunReport.Second s = new RunReport.Second(second, target, count, i.all().getValueAtPercentile(50) / 1e6,
                i.all().getValueAtPercentile(99) / 1e6, errors(), metrics.connected.get(), i.lag().getValueAtPercentile(99) / 1e6, i.corrected(), cpuPercent());
        seconds.add(s);
        out.printf("[%3ds] target %6.0f/s achieved %6d/s p50 %7.2f ms p99 %7.2f ms errors %5d connected %6d lag p99 %5.2f ms cpu %3.0f%%%n",
                second, target, count, s.p50Millis(), s.p99Millis(), s.errors(), s.connected(), s.lagP99Millis(), s.cpuPercent());
    }

    /** This process's CPU use over the last second, in percent of one core. */
    private double cpuPercent() {
        long cpu = PROCESS.getProcessCpuTime();
        long now = System.nanoTime();
        double pct = lastCpu == 0 ? 0 : 100.0 * (cpu - lastCpu) / Math.max(1, now - lastCpuAt);
        lastCpu = cpu;
        lastCpuAt = now;
        return pct;
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private long lastCpu;
    private long lastCpuAt;

    private long errors() {
        return metrics.mismatches().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Settlements in flight at once: the end of a run must not become a connection storm. */
    private static final int SETTLE_CONCURRENCY = 500;

    /** Every terminal settles its batch with its own totals (the host must agree with each), then signs off. */
    private void settleAll(Vertx vertx, CompletableFuture<RunReport> done) {
        if (config.echo()) {
            finish(done); // an echo server keeps no batch
            return;
        }
        int[] next = {0};
        int[] left = {terminals.size()};
        long deadline = vertx.setTimer(config.timeoutMillis() + 2000 + 1000L * terminals.size() / SETTLE_CONCURRENCY, id -> finish(done));
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            if (next[0] >= terminals.size()) {
                return;
            }
            VirtualTerminal t = terminals.get(next[0]++);
            t.settle(() -> t.signOff(() -> {
                if (--left[0] == 0) {
                    vertx.cancelTimer(deadline);
                    finish(done);
                } else {
                    // on the next turn of the event loop: terminals that cannot settle answer at once, and a long run of
                    // them must not nest one call in another
                    vertx.runOnContext(v -> startNext[0].run());
                }
            }));
        };
        for (int i = 0; i < Math.min(SETTLE_CONCURRENCY, terminals.size()); i++) {
            startNext[0].run();
        }
    }

    private void finish(CompletableFuture<RunReport> done) {
        if (done.isDone()) {
            return;
        }
        reporter.shutdown();
        metrics.interval(); // fold the settlement replies into the totals
        terminals.forEach(VirtualTerminal::stop);
        try {
            RunReport report = RunReport.of(config, metrics, seconds);
            report.print(out);
            if (config.reportDir() != null) {
                report.write(config.reportDir());
                out.println("report written to " + config.reportDir().toAbsolutePath());
            }
            done.complete(report);
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }
}
