package org.posfleet.host.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The host's own meters, beside what Vert.x reports (connections, pools, event loops) in the same Prometheus
 * registry. Labels are bounded by construction: message kind (the MessageKind table) and response code (the
 * host's own answers), never a terminal, merchant or address.
 */
public final class HostMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> messages = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final DistributionSummary groupSize;
    private final Timer commit;
    private final Counter gateRereads;

    public HostMetrics() {
        gateRereads = Counter.builder("posfleet_gate_rereads").description("admissions on a cached gate row that their posting found"
                + " out of date, and that went through the gate again").register(registry);
        groupSize = DistributionSummary.builder("posfleet_commit_group_members").description("postings per group commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        commit = Timer.builder("posfleet_journal_commit").description("a group's transaction, from BEGIN to COMMIT")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram().register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void connections(Supplier<Number> open) {
        Gauge.builder("posfleet_terminal_connections", open).description("terminal connections open").register(registry);
    }

    /** An admission on a cached gate row went back to the gate: the terminal or its session had changed. */
    public void gateReread() {
        gateRereads.increment();
    }

    /** A connection closed at accept: {@code reason} is host_full, address_full or address_too_fast. */
    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("posfleet_connections_refused").description("connections closed at accept")
                .tag("reason", r).register(registry)).increment();
    }

    /** One request answered: its kind, the response code sent (or "none") and how long the host took. */
    public void message(String kind, String code, long nanos) {
        messages.computeIfAbsent(kind + "|" + code, k -> Counter.builder("posfleet_messages").description("requests answered")
                .tag("kind", kind).tag("code", code).register(registry)).increment();
        latency.computeIfAbsent(kind, k -> Timer.builder("posfleet_message_latency").description("request in to reply out")
                .tag("kind", kind).publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .distributionStatisticExpiry(Duration.ofMinutes(1)).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * A wrong password: {@code who} is "operator" (sign-on), "supervisor" (void password) or "admin" (an API token);
     * {@code lockedOut} when it locked the operator or the address out. Brute force shows here and on the dashboard.
     */
    public void passwordFailure(String who, boolean lockedOut) {
        Counter.builder("posfleet_password_failures").description("wrong passwords and tokens; locked = it caused a lock-out")
                .tag("who", who).tag("locked", String.valueOf(lockedOut)).register(registry).increment();
    }

    public void group(int members, long nanos) {
        groupSize.record(members);
        commit.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Counts and latency percentiles per kind, for the dashboard. */
    public Map<String, double[]> snapshot() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        latency.forEach((kind, t) -> {
            var s = t.takeSnapshot();
            double p50 = 0;
            double p99 = 0;
            for (var v : s.percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            }
            out.put(kind, new double[] {t.count(), p50, p99});
        });
        return out;
    }

    /** Replies by response code, all kinds together. */
    public Map<String, Double> codes() {
        Map<String, Double> out = new java.util.TreeMap<>();
        messages.forEach((k, c) -> out.merge(k.substring(k.indexOf('|') + 1), c.count(), Double::sum));
        return out;
    }
}
