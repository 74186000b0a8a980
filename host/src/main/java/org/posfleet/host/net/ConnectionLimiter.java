package org.posfleet.host.net;

import java.util.concurrent.atomic.AtomicInteger;

/** The connection limit, shared by every terminal-server instance of one host. */
public final class ConnectionLimiter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimiter(int max) {
        this.max = max;
    }

    public boolean tryAcquire() {
        while (true) {
            int n = open.get();
            if (n >= max) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void release() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }
}
