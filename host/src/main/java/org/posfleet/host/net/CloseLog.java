package org.posfleet.host.net;

import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Log lines for connections the host closes, throttled: a few lines a second in full, then one summary line of
 * how many more were closed and why. A flood of hostile connections must not turn into a flood of log writes on
 * the event loop (each a synchronous write), which would slow every good terminal down with it. One per event loop.
 */
final class CloseLog {

    private static final Logger LOG = Logger.getLogger(TerminalConnection.class.getName());
    static final int LINES_PER_SECOND = 10;

    private long second = -1;
    private int lines;
    private final Map<String, Integer> suppressed = new TreeMap<>();
    private long suppressedSince;
    private final java.util.function.LongSupplier clock;

    CloseLog() {
        this(System::currentTimeMillis);
    }

    CloseLog(java.util.function.LongSupplier millis) {
        this.clock = millis;
    }

    /** @param reason a short fixed phrase (it becomes a summary key); {@code detail} may vary */
    void closed(Object remote, String reason, String detail) {
        long now = clock.getAsLong();
        if (now / 1000 != second) {
            second = now / 1000;
            lines = 0;
            if (!suppressed.isEmpty() && now - suppressedSince >= 10_000) {
                String summary = suppressed.toString();
                LOG.info(() -> "closed " + suppressed.values().stream().mapToInt(Integer::intValue).sum()
                        + " more connections in the last seconds without a line each: " + summary);
                suppressed.clear();
            }
        }
        if (lines++ < LINES_PER_SECOND) {
            LOG.info(() -> "closing " + remote + ": " + reason + (detail.isEmpty() ? "" : " (" + detail + ")"));
            return;
        }
        if (suppressed.isEmpty()) {
            suppressedSince = now;
        }
        suppressed.merge(reason, 1, Integer::sum);
    }
}
