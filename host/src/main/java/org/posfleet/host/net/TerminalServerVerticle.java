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

    private final HostContext ctx;
    private final ConnectionLimiter limiter;
    private final org.posfleet.host.ledger.Journal journal;
    private NetServer server;

    public TerminalServerVerticle(HostContext ctx, ConnectionLimiter limiter, org.posfleet.host.ledger.Journal journal) {
        this.ctx = ctx;
        this.limiter = limiter;
        this.journal = journal;
    }

    @Override
    public Future<?> start() {
        Dispatcher dispatcher = new Dispatcher(ctx, journal, new org.posfleet.host.ledger.CommitGroup(journal.pool(),
                ctx.config().groupCommit() ? 2 : Integer.MAX_VALUE, ctx.config().groupCommit() ? 64 : 1)
                .observe((members, nanos) -> ctx.metrics().group(members, nanos)));
        NetServerOptions options = new NetServerOptions().setHost(ctx.config().bindAddress()).setPort(ctx.config().terminalPort())
                .setTcpNoDelay(true).setIdleTimeout((int) ctx.config().idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setAcceptBacklog(4096);
        server = vertx.createNetServer(options).connectHandler(socket -> {
            if (!limiter.tryAcquire()) {
                socket.close();
                return;
            }
            TerminalConnection connection = new TerminalConnection(vertx, socket, dispatcher, ctx.config());
            socket.closeHandler(v -> {
                limiter.release();
                connection.onClosed();
            });
            connection.start();
        });
        return server.listen();
    }

    public int actualPort() {
        return server.actualPort();
    }
}
