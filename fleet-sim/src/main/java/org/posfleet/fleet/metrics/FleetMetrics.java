package org.posfleet.fleet.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a run measures. Latency per message type twice: <b>corrected</b>, from the time the open-loop schedule
 * intended the request to start (coordinated-omission correct: time spent waiting for a free terminal counts),
 * and <b>uncorrected</b>, from when it was actually sent. Recorded wait-free through HdrHistogram Recorders;
 * a reporter swaps interval histograms each second and adds them to the run's totals.
 */
public final class FleetMetrics {

    static final long MAX_NANOS = 60_000_000_000L;

    /** Latency recorders and totals of one message type. */
    public static final class Type {
        final Recorder corrected = new Recorder(MAX_NANOS, 3);
        final Recorder uncorrected = new Recorder(MAX_NANOS, 3);
        public final Histogram totalCorrected = new Histogram(MAX_NANOS, 3);
        public final Histogram totalUncorrected = new Histogram(MAX_NANOS, 3);
        public final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        /** Corrected latency per response code (a decline is often faster or slower than an approval). */
        public final Map<String, Recorder> byCode = new ConcurrentHashMap<>();
        public final Map<String, Histogram> totalByCode = new ConcurrentHashMap<>();

        public void record(long intendedNanos, long sentNanos, long receivedNanos, String responseCode) {
            long c = Math.min(MAX_NANOS, Math.max(0, receivedNanos - intendedNanos));
            corrected.recordValue(c);
            uncorrected.recordValue(Math.min(MAX_NANOS, Math.max(0, receivedNanos - sentNanos)));
            codes.computeIfAbsent(responseCode, k -> new LongAdder()).increment();
            byCode.computeIfAbsent(responseCode, k -> new Recorder(MAX_NANOS, 3)).recordValue(c);
        }
    }

    private final Map<String, Type> types = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> mismatches = new ConcurrentHashMap<>();
    /** Generator lateness: how late the schedule produced each arrival (actual minus intended). */
    private final Recorder lag = new Recorder(MAX_NANOS, 3);
    public final Histogram totalLag = new Histogram(MAX_NANOS, 3);
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong sent = new AtomicLong();
    public final AtomicLong connected = new AtomicLong();
    /** Connection attempts that failed (refused, timed out, TLS handshake), over the whole run: never reset. */
    public final AtomicLong connectFailures = new AtomicLong();

    public Type type(String name) {
        return types.computeIfAbsent(name, k -> new Type());
    }

    public void mismatch(String kind) {
        mismatches.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    private final Map<String, LongAdder> events = new ConcurrentHashMap<>();

    /** Counts something that happened on purpose (an injected fault), not a mismatch. */
    public void mismatchFree(String event) {
        events.computeIfAbsent(event, k -> new LongAdder()).increment();
    }

    public Map<String, Long> events() {
        Map<String, Long> out = new TreeMap<>();
        events.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public void lag(long nanos) {
        lag.recordValue(Math.min(MAX_NANOS, Math.max(0, nanos)));
    }

    public Map<String, Long> mismatches() {
        Map<String, Long> out = new TreeMap<>();
        mismatches.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public Map<String, Type> types() {
        return new TreeMap<>(types);
    }

    /** Forgets everything recorded so far (warm-up: sign-ons, JIT, first connections). */
    public void reset() {
        interval();
        for (Type t : types.values()) {
            t.totalCorrected.reset();
            t.totalUncorrected.reset();
            t.codes.clear();
            t.totalByCode.clear();
        }
        types.entrySet().removeIf(e -> e.getKey().equals("SIGN_ON"));
        totalLag.reset();
        mismatches.clear();
        events.clear();
        dropped.set(0);
    }

    /** One interval: the histograms of the last second per type (corrected), all types merged, and generator lag. */
    public record Interval(Map<String, Histogram> corrected, Histogram all, Histogram lag) {
    }

    /** Swaps every recorder's interval histogram and folds it into the totals. Called once a second. */
    public Interval interval() {
        Map<String, Histogram> per = new TreeMap<>();
        Histogram all = new Histogram(MAX_NANOS, 3);
        for (Map.Entry<String, Type> e : types.entrySet()) {
            Histogram c = e.getValue().corrected.getIntervalHistogram();
            Histogram u = e.getValue().uncorrected.getIntervalHistogram();
            e.getValue().totalCorrected.add(c);
            e.getValue().totalUncorrected.add(u);
            e.getValue().byCode.forEach((code, rec) -> e.getValue().totalByCode
                    .computeIfAbsent(code, k -> new Histogram(MAX_NANOS, 3)).add(rec.getIntervalHistogram()));
            all.add(c);
            per.put(e.getKey(), c);
        }
        Histogram l = lag.getIntervalHistogram();
        totalLag.add(l);
        return new Interval(per, all, l);
    }
}
