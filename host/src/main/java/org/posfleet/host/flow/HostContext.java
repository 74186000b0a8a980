package org.posfleet.host.flow;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.security.PasswordVerifier;
import org.posfleet.host.security.SecurityModule;
import org.posfleet.host.store.TerminalStore;

/**
 * What every flow needs: configuration, storage, the security module, the operators' password checks (one for the
 * whole host, so that every event loop knows what one verified), and a way off the event loop.
 */
public record HostContext(HostConfig config, TerminalStore store, SecurityModule securityModule, Vertx vertx, Clock clock,
                          org.posfleet.host.metrics.HostMetrics metrics, PasswordVerifier passwords) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("MMdd");

    /** Runs slow work (password hashing, public-key operations) on a worker thread, unordered. */
    public <T> Future<T> blocking(Callable<T> work) {
        return vertx.executeBlocking(work, false);
    }

    /** Host time for field 12. */
    public String time() {
        return ZonedDateTime.now(clock).format(TIME);
    }

    /** Host date for field 13. */
    public String date() {
        return ZonedDateTime.now(clock).format(DATE);
    }
}
