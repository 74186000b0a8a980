package org.posfleet.host.net;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.posfleet.host.config.HostConfig.AddressLimits;

/**
 * Per-source-address limits at accept, shared by every terminal-server instance of one host: how many connections
 * an address holds, and how fast it may open new ones (a token bucket: {@code connectsPerSecond}, bursts of twice
 * that). A refused connection is closed before a frame accumulator, timer or log line is spent on it, so that a
 * flood or a slowloris from a few addresses cannot take what the other terminals need.
 *
 * <p>State is kept only for addresses that hold a connection or whose bucket is not yet full again: {@link #sweep}
 * drops the rest, so many addresses passing by do not grow the map without bound.
 */
public final class AddressGuard {

    public enum Verdict { ADMIT, TOO_MANY, TOO_FAST }

    private final int maxConnections;
    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        int open;
        double tokens;
        long refilled;
    }

    public AddressGuard(AddressLimits limits) {
        this(limits, System::nanoTime);
    }

    AddressGuard(AddressLimits limits, LongSupplier nanos) {
        this.maxConnections = limits.connections();
        this.ratePerNano = limits.connectsPerSecond() / 1e9;
        this.burst = 2.0 * limits.connectsPerSecond();
        this.nanos = nanos;
    }

    /** Admits a new connection from {@code address} (counting it as held) or says why not. */
    public Verdict admit(String address) {
        long now = nanos.getAsLong();
        Verdict[] verdict = {Verdict.ADMIT};
        entries.compute(address, (a, e) -> {
            if (e == null) {
                e = new Entry();
                e.tokens = burst;
                e.refilled = now;
            }
            if (maxConnections > 0 && e.open >= maxConnections) {
                verdict[0] = Verdict.TOO_MANY;
                return e;
            }
            if (burst > 0) {
                e.tokens = Math.min(burst, e.tokens + (now - e.refilled) * ratePerNano);
                e.refilled = now;
                if (e.tokens < 1) {
                    verdict[0] = Verdict.TOO_FAST;
                    return e;
                }
                e.tokens -= 1;
            }
            e.open++;
            return e;
        });
        return verdict[0];
    }

    /** A connection admitted from {@code address} has closed. */
    public void release(String address) {
        entries.computeIfPresent(address, (a, e) -> {
            e.open--;
            return e.open == 0 && full(e, nanos.getAsLong()) ? null : e;
        });
    }

    /** Forgets addresses that hold nothing and whose bucket has filled again; run now and then. */
    public void sweep() {
        long now = nanos.getAsLong();
        entries.forEach((a, e) -> entries.computeIfPresent(a, (k, x) -> x.open == 0 && full(x, now) ? null : x));
    }

    /** Addresses the guard keeps state for. */
    public int tracked() {
        return entries.size();
    }

    private boolean full(Entry e, long now) {
        return burst == 0 || e.tokens + (now - e.refilled) * ratePerNano >= burst;
    }
}
