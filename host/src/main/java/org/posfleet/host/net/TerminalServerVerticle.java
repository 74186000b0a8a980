package org.posfleet.host.net;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;
import org.posfleet.host.flow.Dispatcher;
import org.posfleet.host.flow.HostContext;

/** The terminal port: one instance per core, each on its own event loop with its own dispatcher. */
public final class TerminalServerVerticle extends VerticleBase {

    private final HostContext shared;
    private final ConnectionLimiter limiter;
    private final java.util.function.Supplier<io.vertx.sqlclient.Pool> pools;
    private io.vertx.sqlclient.Pool pool;
    private NetServer server;
    private Dispatcher dispatcher;
    private long flushTimer = -1;
    private final CloseLog closeLog = new CloseLog();

    /**
     * @param pools makes this instance's own database pool, called on its event loop: the pool's connections then
     *              do their I/O on the same thread as the terminals they serve, so no database reply hops threads
     */
    public TerminalServerVerticle(HostContext ctx, ConnectionLimiter limiter, java.util.function.Supplier<io.vertx.sqlclient.Pool> pools) {
        this.shared = ctx;
        this.limiter = limiter;
        this.pools = pools;
    }

    @Override
    public Future<?> start() {
        pool = pools.get();
        HostContext ctx = new HostContext(shared.config(), new org.posfleet.host.store.PgTerminalStore(pool), shared.securityModule(),
                shared.vertx(), shared.clock(), shared.metrics(), shared.passwords());
        org.posfleet.host.ledger.Journal journal = new org.posfleet.host.ledger.Journal(pool);
        // one group in flight per event loop: what arrives while it is written waits for the next, so groups grow with
        // the load (measured: 1,750/s at p99 <= 10 ms with one, 500/s with two or four in flight, whose groups stay at
        // one member and pay a commit each); with overlap one more may be waiting for its WAL flush, while few postings
        // wait (--overlap-below); without group commit, a transaction per posting, as many as come
        dispatcher = new Dispatcher(ctx, journal, new org.posfleet.host.ledger.CommitGroup(journal,
                ctx.config().groupCommit() ? 1 : Integer.MAX_VALUE, ctx.config().groupCommit() ? 64 : 1,
                ctx.config().groupCommit() ? ctx.config().overlapBelow() : 0)
                .observe((members, nanos) -> ctx.metrics().group(members, nanos)));
        NetServerOptions options = new NetServerOptions().setHost(ctx.config().bindAddress()).setPort(ctx.config().terminalPort())
                .setTcpNoDelay(true).setIdleTimeout((int) ctx.config().idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setAcceptBacklog(4096);
        if (ctx.config().tls() != null) {
            options.setSsl(true).setKeyCertOptions(new io.vertx.core.net.PfxOptions().setPath(ctx.config().tls().keyStore().toString())
                    .setPassword(ctx.config().tls().password()));
        }
        server = vertx.createNetServer(options).connectHandler(socket -> {
            String address = socket.remoteAddress().hostAddress();
            ConnectionLimiter.Verdict verdict = limiter.admit(address);
            if (verdict != ConnectionLimiter.Verdict.ADMIT) {
                ctx.metrics().refused(verdict.name().toLowerCase(java.util.Locale.ROOT));
                closeLog.closed(socket.remoteAddress(), verdict.reason, "");
                socket.close();
                return;
            }
            TerminalConnection connection = new TerminalConnection(vertx, socket, dispatcher, ctx.config(), closeLog);
            socket.closeHandler(v -> {
                limiter.release(address);
                connection.onClosed();
            });
            connection.start();
        });
        flushTimer = vertx.setPeriodic(1_000, t -> dispatcher.flushKeyUses());
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(flushTimer);
        Future<Void> flushed = dispatcher == null ? Future.succeededFuture() : dispatcher.flushKeyUses().recover(e -> Future.succeededFuture());
        return pool == null ? flushed : flushed.compose(v -> pool.close());
    }

    public int actualPort() {
        return server.actualPort();
    }
}
