package org.posfleet.host.net;

import java.util.concurrent.atomic.AtomicInteger;
import org.posfleet.host.config.HostConfig.AddressLimits;

/**
 * The host's connection limits, shared by every terminal-server instance of one host: connections held in all,
 * and per source address (see {@link AddressGuard}). Asked once per accepted connection, before anything else.
 */
public final class ConnectionLimiter {

    /** Why a connection was refused; {@code ADMIT} when it was not. */
    public enum Verdict {
        ADMIT(""), HOST_FULL("host at its connection limit"), ADDRESS_FULL("address at its connection limit"),
        ADDRESS_TOO_FAST("address over its connect rate");

        public final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }
    }

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AddressGuard guard;

    public ConnectionLimiter(int max) {
        this(max, AddressLimits.NONE);
    }

    public ConnectionLimiter(int max, AddressLimits perAddress) {
        this.max = max;
        this.guard = perAddress.any() ? new AddressGuard(perAddress) : null;
    }

    /** Admits a connection from {@code address}, counting it until {@link #release}, or says why not. */
    public Verdict admit(String address) {
        if (guard != null) {
            switch (guard.admit(address)) {
                case TOO_MANY -> {
                    return Verdict.ADDRESS_FULL;
                }
                case TOO_FAST -> {
                    return Verdict.ADDRESS_TOO_FAST;
                }
                case ADMIT -> { }
            }
        }
        while (true) {
            int n = open.get();
            if (n >= max) {
                if (guard != null) {
                    guard.release(address);
                }
                return Verdict.HOST_FULL;
            }
            if (open.compareAndSet(n, n + 1)) {
                return Verdict.ADMIT;
            }
        }
    }

    /** An admitted connection from {@code address} has closed. */
    public void release(String address) {
        open.decrementAndGet();
        if (guard != null) {
            guard.release(address);
        }
    }

    /** Forgets per-address state no longer needed; the host runs this every few seconds. */
    public void sweep() {
        if (guard != null) {
            guard.sweep();
        }
    }

    public int open() {
        return open.get();
    }
}
