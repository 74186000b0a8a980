package org.posfleet.fleet.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.metrics.FleetMetrics;

/**
 * The outcome of a run, for people and for tools: a summary table, {@code summary.json}, a self-contained
 * {@code report.html} (percentile spectrum, latency over time, target against achieved rate, connected
 * terminals, response codes) and {@code latency.hlog}, an HdrHistogram interval log tagged by message type
 * that HdrHistogram's HistogramLogProcessor reads. A run whose generator fell behind is marked INVALID in all.
 */
public final class RunReport {

    /** One second of the run. */
    public record Second(int second, double target, long achieved, double p50Millis, double p99Millis, long errors, long connected,
                         double lagP99Millis, Map<String, Histogram> corrected, double cpuPercent) {
    }

    /** Totals of one message type. */
    public record TypeSummary(String type, long count, double rate, double p50, double p90, double p99, double p999, double max,
                              double uncorrectedP99, Map<String, Long> codes, Histogram corrected, Map<String, double[]> codeLatency) {
    }

    private final FleetConfig config;
    private final List<TypeSummary> types;
    private final List<Second> seconds;
    private final Map<String, Long> mismatches;
    private final Map<String, Long> events;
    private final long dropped;
    private final double lagP99;
    private final boolean valid;

    private RunReport(FleetConfig config, List<TypeSummary> types, List<Second> seconds, Map<String, Long> mismatches,
                      Map<String, Long> events, long dropped, double lagP99) {
        this.events = events;
        this.config = config;
        this.types = types;
        this.seconds = seconds;
        this.mismatches = mismatches;
        this.dropped = dropped;
        this.lagP99 = lagP99;
        this.valid = lagP99 <= config.maxLagMillis() && dropped == 0;
    }

    public static RunReport of(FleetConfig config, FleetMetrics metrics, List<Second> seconds) {
        List<TypeSummary> types = metrics.types().entrySet().stream().map(e -> {
            FleetMetrics.Type t = e.getValue();
            Histogram h = t.totalCorrected;
            Map<String, Long> codes = new TreeMap<>();
            t.codes.forEach((k, v) -> codes.put(k, v.sum()));
            Map<String, double[]> byCode = new TreeMap<>();
            t.totalByCode.forEach((code, hc) -> byCode.put(code, new double[] {ms(hc.getValueAtPercentile(50)), ms(hc.getValueAtPercentile(99))}));
            return new TypeSummary(e.getKey(), h.getTotalCount(), h.getTotalCount() / (double) config.measuredSeconds(),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), ms(t.totalUncorrected.getValueAtPercentile(99)), codes, h, byCode);
        }).toList();
        return new RunReport(config, types, seconds, metrics.mismatches(), metrics.events(), metrics.dropped.get(),
                ms(metrics.totalLag.getValueAtPercentile(99)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public boolean valid() {
        return valid;
    }

    /** The generator's lag behind its schedule, p99 over the run. */
    public double lagP99Millis() {
        return lagP99;
    }

    public long dropped() {
        return dropped;
    }

    public List<TypeSummary> types() {
        return types;
    }

    /** The measured seconds, in order. */
    public List<Second> seconds() {
        return seconds;
    }

    /** Of {@code of} measured seconds with transactions of the types asked for, {@code over} had their p99 over the limit. */
    public record SecondsOver(int over, int of) {
    }

    /**
     * How many measured seconds had a p99 over {@code limitMillis}, counting the transactions of {@code types} only:
     * whether a run's p99 over the limit came from one stalled second or from all of them.
     */
    public SecondsOver secondsOver(Set<String> types, double limitMillis) {
        return secondsOver(seconds, types, limitMillis);
    }

    static SecondsOver secondsOver(List<Second> seconds, Set<String> types, double limitMillis) {
        int over = 0;
        int of = 0;
        for (Second s : seconds) {
            Histogram merged = null;
            for (Map.Entry<String, Histogram> e : s.corrected().entrySet()) {
                if (types.contains(e.getKey()) && e.getValue().getTotalCount() > 0) {
                    if (merged == null) {
                        merged = e.getValue().copy();
                    } else {
                        merged.add(e.getValue());
                    }
                }
            }
            if (merged != null) {
                of++;
                if (merged.getValueAtPercentile(99) / 1e6 > limitMillis) {
                    over++;
                }
            }
        }
        return new SecondsOver(over, of);
    }

    public Map<String, Long> injected() {
        return events;
    }

    public Map<String, Long> mismatches() {
        return mismatches;
    }

    public void print(PrintStream out) {
        out.println();
        if (config.closedLoop()) {
            out.println("CLOSED LOOP: each terminal waited for its reply before the next request; latencies are service times");
        }
        out.println(valid ? "RESULT VALID" : "RESULT INVALID: the generator fell behind (lag p99 " + fmt(lagP99) + " ms, "
                + dropped + " arrivals dropped); these figures describe the generator, not the host");
        out.printf("%-10s %8s %8s %9s %9s %9s %9s %9s %12s  %s%n", "type", "count", "rate/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms",
                "max ms", "p99 uncorr.", "response codes");
        for (TypeSummary t : types) {
            out.printf(Locale.ROOT, "%-10s %8d %8.1f %9.2f %9.2f %9.2f %9.2f %9.2f %12.2f  %s%n", t.type(), t.count(), t.rate(), t.p50(),
                    t.p90(), t.p99(), t.p999(), t.max(), t.uncorrectedP99(), t.codes());
        }
        out.println("mismatches: " + (mismatches.isEmpty() ? "none" : mismatches));
        if (!events.isEmpty()) {
            out.println("injected: " + events);
        }
        out.printf(Locale.ROOT, "generator lag p99 %.2f ms, arrivals dropped %d%n", lagP99, dropped);
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), json().encodePrettily());
        Files.writeString(dir.resolve("report.html"), html());
        try (PrintStream ps = new PrintStream(Files.newOutputStream(dir.resolve("latency.hlog")), true, "US-ASCII")) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("posfleet fleet-sim: corrected latency (ns) per message type, one interval per second");
            w.outputLogFormatVersion();
            w.outputLegend();
            for (Second s : seconds) {
                for (Map.Entry<String, Histogram> e : s.corrected().entrySet()) {
                    Histogram h = e.getValue().copy();
                    h.setTag(e.getKey());
                    h.setStartTimeStamp((s.second() - 1) * 1000L);
                    h.setEndTimeStamp(s.second() * 1000L);
                    w.outputIntervalHistogram(h);
                }
            }
        }
    }

    public JsonObject json() {
        JsonArray ts = new JsonArray();
        for (TypeSummary t : types) {
            ts.add(new JsonObject().put("type", t.type()).put("count", t.count()).put("ratePerSecond", t.rate()).put("p50Ms", t.p50())
                    .put("p90Ms", t.p90()).put("p99Ms", t.p99()).put("p999Ms", t.p999()).put("maxMs", t.max())
                    .put("p99UncorrectedMs", t.uncorrectedP99()).put("responseCodes", new JsonObject(new TreeMap<>(t.codes())))
                    .put("latencyByResponseCode", codeLatency(t)));
        }
        JsonArray per = new JsonArray();
        for (Second s : seconds) {
            per.add(new JsonObject().put("second", s.second()).put("target", s.target()).put("achieved", s.achieved())
                    .put("p50Ms", s.p50Millis()).put("p99Ms", s.p99Millis()).put("errors", s.errors()).put("connected", s.connected())
                    .put("lagP99Ms", s.lagP99Millis()).put("cpuPercent", s.cpuPercent()));
        }
        return new JsonObject().put("valid", valid).put("terminals", config.terminals())
                .put("terminalsPerConnection", config.terminalsPerConnection()).put("loop", config.closedLoop() ? "closed" : "open")
                .put("schedule", config.closedLoop() ? "closed loop" : config.schedule().toString())
                .put("durationSeconds", config.measuredSeconds()).put("mix", config.mix().toString()).put("seed", config.seed())
                .put("latency", config.closedLoop() ? "closed loop: service times" : "corrected: from the intended send time of the open-loop schedule")
                .put("types", ts).put("mismatches", new JsonObject(new TreeMap<>(mismatches))).put("injected", new JsonObject(new TreeMap<>(events))).put("arrivalsDropped", dropped)
                .put("generatorLagP99Ms", lagP99).put("seconds", per);
    }

    private static JsonObject codeLatency(TypeSummary t) {
        JsonObject o = new JsonObject();
        t.codeLatency().forEach((code, v) -> o.put(code, new JsonObject().put("p50Ms", v[0]).put("p99Ms", v[1])));
        return o;
    }

    private String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>posfleet fleet run</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}")
                .append(".invalid{background:#fdd;padding:1em;border:2px solid #c00}.valid{background:#dfd;padding:.5em}")
                .append("svg{background:#fff;border:1px solid #ddd;margin:.5em 0}</style></head><body>");
        b.append("<h1>posfleet fleet run</h1>");
        b.append(valid ? "<p class=\"valid\">VALID: the generator kept its schedule (lag p99 " + fmt(lagP99) + " ms)</p>"
                : "<p class=\"invalid\"><b>INVALID</b>: the generator fell behind (lag p99 " + fmt(lagP99) + " ms, " + dropped
                        + " arrivals dropped). These figures describe the generator, not the host.</p>");
        b.append("<p>").append(config.terminals()).append(" terminals against ").append(esc(config.host())).append(':').append(config.port())
                .append(config.closedLoop() ? ", <b>closed loop</b> (each terminal waits for its reply; latencies are service times) for "
                        + config.measuredSeconds() + " s" : ", " + esc(config.schedule().toString()) + ", open loop")
                .append(config.terminalsPerConnection() > 1 ? ", " + config.terminalsPerConnection() + " terminals per connection (as behind a NAC)" : "")
                .append(", mix ").append(esc(config.mix().toString())).append(", seed ").append(config.seed())
                .append(". Latency is corrected: measured from the time the schedule intended each request to start.</p>");
        b.append("<h2>Summary</h2><table><tr><th>type</th><th>count</th><th>rate/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>")
                .append("<th>p99.9 ms</th><th>max ms</th><th>p99 uncorrected ms</th></tr>");
        for (TypeSummary t : types) {
            b.append("<tr><td>").append(esc(t.type())).append("</td><td>").append(t.count()).append("</td><td>").append(fmt(t.rate()))
                    .append("</td><td>").append(fmt(t.p50())).append("</td><td>").append(fmt(t.p90())).append("</td><td>").append(fmt(t.p99()))
                    .append("</td><td>").append(fmt(t.p999())).append("</td><td>").append(fmt(t.max())).append("</td><td>")
                    .append(fmt(t.uncorrectedP99())).append("</td></tr>");
        }
        b.append("</table>");
        b.append("<h2>Response codes</h2><table><tr><th>type</th><th>code</th><th>count</th><th>p50 ms</th><th>p99 ms</th></tr>");
        for (TypeSummary t : types) {
            for (Map.Entry<String, Long> c : t.codes().entrySet()) {
                double[] l = t.codeLatency().getOrDefault(c.getKey(), new double[] {0, 0});
                b.append("<tr><td>").append(esc(t.type())).append("</td><td>").append(esc(c.getKey())).append("</td><td>").append(c.getValue())
                        .append("</td><td>").append(fmt(l[0])).append("</td><td>").append(fmt(l[1])).append("</td></tr>");
            }
        }
        b.append("</table><h2>Mismatches</h2><p>").append(mismatches.isEmpty() ? "none: every reply verified (MTI, STAN, response code, MAC)"
                : esc(mismatches.toString())).append("</p>");
        if (!events.isEmpty()) {
            b.append("<h2>Faults injected</h2><p>").append(esc(events.toString())).append(" (faults: ").append(esc(config.faults().toString()))
                    .append(" of arrivals; each checked for the answer the host owes it)</p>");
        }
        b.append("<h2>Latency percentile spectrum</h2>").append(Charts.spectrum(types));
        b.append("<h2>Latency over time</h2>").append(Charts.series(seconds, "ms", List.of("p50", "p99"),
                s -> new double[] {s.p50Millis(), s.p99Millis()}));
        b.append("<h2>Target and achieved rate</h2>").append(Charts.series(seconds, "tx/s", List.of("target", "achieved"),
                s -> new double[] {s.target(), s.achieved()}));
        b.append("<h2>Generator CPU</h2>").append(Charts.series(seconds, "% of a core", List.of("cpu"), s -> new double[] {s.cpuPercent()}));
        b.append(config.terminalsPerConnection() > 1 ? "<h2>Connections (" + config.terminalsPerConnection() + " terminals on each)</h2>"
                : "<h2>Connected terminals</h2>").append(Charts.series(seconds, config.terminalsPerConnection() > 1 ? "connections" : "terminals",
                List.of("connected"),
                s -> new double[] {s.connected()}));
        b.append("</body></html>\n");
        return b.toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
