package org.posfleet.host;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;
import org.posfleet.host.admin.AdminServer;
import org.posfleet.host.admin.AdminStore;
import org.posfleet.host.config.HostConfig;
import org.posfleet.host.flow.HostContext;
import org.posfleet.host.ledger.Journal;
import org.posfleet.host.metrics.HostMetrics;
import org.posfleet.host.ledger.TestCards;
import org.posfleet.host.net.ConnectionLimiter;
import org.posfleet.host.net.TerminalServerVerticle;
import org.posfleet.host.security.LmkComponents;
import org.posfleet.host.security.SecurityModule;
import org.posfleet.host.security.SoftwareSecurityModule;
import org.posfleet.host.store.Database;
import org.posfleet.host.store.PgTerminalStore;
import org.posfleet.host.store.TerminalStore;

/**
 * A running host: database, security module, Vert.x and the terminal servers. {@link #start} blocks until the
 * host listens (start-up only: it runs before and outside every event loop).
 */
public final class HostApp implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostApp.class.getName());
    /** Operators' passwords whose last verification the host remembers (about 200 bytes each). */
    private static final int PASSWORDS_REMEMBERED = 100_000;

    private final Database database;
    private final Vertx vertx;
    private final TerminalStore store;
    private final SecurityModule securityModule;
    private final int port;
    private final ConnectionLimiter limiter;
    private HostMetrics metrics;
    private final Journal journal;

    private HostApp(Database database, Vertx vertx, TerminalStore store, SecurityModule securityModule, int port,
                    ConnectionLimiter limiter, Journal journal) {
        this.journal = journal;
        this.database = database;
        this.vertx = vertx;
        this.store = store;
        this.securityModule = securityModule;
        this.port = port;
        this.limiter = limiter;
    }

    public static HostApp start(HostConfig config, LmkComponents.Loaded lmk) throws Exception {
        Database db = Database.open(config.databaseUrl(), config.dataDir(), config.embeddedDbPort(), config.dbSettings());
        LOG.info(() -> "database: " + db.description());
        SecurityModule sm = new SoftwareSecurityModule(lmk.components());
        HostMetrics metrics = new HostMetrics();
        Vertx vertx = Vertx.builder().with(new io.vertx.core.VertxOptions().setPreferNativeTransport(config.nativeTransport())
                        .setMetricsOptions(new io.vertx.micrometer.MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
                .withMetrics(new io.vertx.micrometer.MicrometerMetricsFactory(metrics.registry())).build();
        LOG.info(() -> "sockets: " + transport(vertx, config.nativeTransport()));
        // the admin API, start-up checks and administrative work; each terminal server instance has its own pool
        Pool pool = db.pool(vertx, 4);
        TerminalStore store = new PgTerminalStore(pool);
        Journal journal = new Journal(pool);
        try {
            checkLmk(store, sm);
            checkDurability(pool);
            TestCards.ensureDefaults(journal, sm);
            LOG.info(() -> "security module: software, LMK check value " + sm.lmkCheckValue() + " from " + lmk.source());
            HostContext ctx = new HostContext(config, store, sm, vertx, Clock.systemDefaultZone(), metrics,
                    new org.posfleet.host.security.PasswordVerifier(PASSWORDS_REMEMBERED));
            ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.addressLimits());
            metrics.connections(limiter::open);
            vertx.setPeriodic(10_000, t -> limiter.sweep());
            List<TerminalServerVerticle> servers = new ArrayList<>();
            await(vertx.deployVerticle(() -> {
                TerminalServerVerticle v = new TerminalServerVerticle(ctx, limiter, () -> db.terminalPool(vertx, 4));
                synchronized (servers) {
                    servers.add(v);
                }
                return v;
            }, new DeploymentOptions().setInstances(config.instances())));
            int port = servers.get(0).actualPort();
            LOG.info(() -> "terminal port " + config.bindAddress() + ":" + port + ", " + config.instances() + " instances");
            int adminPort = -1;
            if (config.adminPort() >= 0) {
                adminPort = await(new AdminServer(ctx, new AdminStore(pool)).start(config.bindAddress(), config.adminPort())).actualPort();
                int shown = adminPort;
                LOG.info(() -> "admin API " + config.bindAddress() + ":" + shown);
            }
            HostApp app = new HostApp(db, vertx, store, sm, port, limiter, journal);
            app.adminPort = adminPort;
            app.metrics = metrics;
            return app;
        } catch (Exception e) {
            await(vertx.close());
            db.close();
            throw e;
        }
    }

    /** An approval must be on disk before the reply leaves: refuse a database that would lose commits. */
    private static void checkDurability(Pool pool) throws Exception {
        for (String setting : java.util.List.of("synchronous_commit", "fsync")) {
            String value = await(pool.query("show " + setting).execute()).iterator().next().getString(0);
            if (value.equals("off")) {
                throw new IllegalStateException("PostgreSQL runs with " + setting + " = off: approvals could be lost; turn it on");
            }
        }
    }

    /**
     * Stored keys are wrapped under one LMK: refuse to start with another, rather than fail on every key. Then
     * installs the PIN verification key (stored under the LMK; made on the first start).
     */
    private static void checkLmk(TerminalStore store, SecurityModule sm) throws Exception {
        String recorded = await(store.setting("lmk_check_value", sm.lmkCheckValue()));
        if (!recorded.equals(sm.lmkCheckValue())) {
            throw new IllegalStateException("the stored keys are wrapped under the LMK with check value " + recorded
                    + ", but the components given make " + sm.lmkCheckValue());
        }
        String made = sm.installPvk(null);
        String stored = await(store.setting("pvk_block", made));
        if (!stored.equals(made)) {
            sm.installPvk(stored);
        }
    }

    /**
     * Storage and the security module without the terminal port, for the administrative commands. Shares
     * the embedded database of a host already running on the same data directory.
     */
    public record Admin(Database database, Vertx vertx, Pool pool, TerminalStore store, SecurityModule securityModule) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stop(vertx, database);
        }
    }

    public static Admin admin(HostConfig config, LmkComponents.Loaded lmk) throws Exception {
        Database db = Database.open(config.databaseUrl(), config.dataDir(), config.embeddedDbPort(), config.dbSettings());
        SecurityModule sm = new SoftwareSecurityModule(lmk.components());
        Vertx vertx = Vertx.vertx();
        Pool pool = db.pool(vertx, 2);
        TerminalStore store = new PgTerminalStore(pool);
        Admin admin = new Admin(db, vertx, pool, store, sm);
        try {
            checkLmk(store, sm);
        } catch (Exception e) {
            admin.close();
            throw e;
        }
        return admin;
    }

    /** Which socket transport {@code vertx} runs on, and why not the native one when it was asked for and did not load. */
    public static String transport(Vertx vertx, boolean asked) {
        if (vertx.isNativeTransportEnabled()) {
            return "native transport (" + io.vertx.core.transport.Transport.nativeTransport().name() + ")";
        }
        Throwable why = vertx.unavailableNativeTransportCause();
        return "NIO" + (asked && why != null ? " (native transport unavailable: " + why.getMessage() + ")" : "");
    }

    public static <T> T await(Future<T> f) throws InterruptedException, ExecutionException {
        return f.toCompletionStage().toCompletableFuture().get();
    }

    public int port() {
        return port;
    }

    private int adminPort = -1;

    /** The admin API's port, or -1 when it is off. */
    public HostMetrics metrics() {
        return metrics;
    }

    public int adminPort() {
        return adminPort;
    }

    public Journal journal() {
        return journal;
    }

    public TerminalStore store() {
        return store;
    }

    public SecurityModule securityModule() {
        return securityModule;
    }

    public Vertx vertx() {
        return vertx;
    }

    public int openConnections() {
        return limiter.open();
    }

    @Override
    public void close() throws IOException {
        stop(vertx, database);
    }

    private static void stop(Vertx vertx, Database database) throws IOException {
        try {
            await(vertx.close());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IOException("stopping Vert.x failed", e.getCause());
        } finally {
            database.close();
        }
    }
}
