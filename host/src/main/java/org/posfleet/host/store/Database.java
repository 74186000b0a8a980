package org.posfleet.host.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * The host's PostgreSQL: an embedded server started by the host itself (default; its data directory is
 * kept between runs), or any external server by URL. Start-up work here is blocking and runs before any
 * event loop serves; afterwards everything goes through the reactive {@link Pool}.
 */
public final class Database implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final PgConnectOptions options;
    private final String description;
    /** Terminal pools made so far, to name the next one. */
    private final AtomicInteger terminalPools = new AtomicInteger();

    private Database(EmbeddedPostgres embedded, PgConnectOptions options, String description) {
        this.embedded = embedded;
        this.options = options;
        this.description = description;
    }

    /**
     * Opens the database and brings its schema up to date.
     *
     * @param url     external server ("postgresql://user:password@host:port/db"), or null for embedded
     * @param dataDir where the embedded server keeps its data
     * @param port    the embedded server's port; a server already listening there (a running host's) is shared
     */
    public static Database open(String url, Path dataDir, int port) throws IOException {
        return open(url, dataDir, port, Map.of());
    }

    /**
     * As {@link #open(String, Path, int)}, giving the embedded server it starts {@code settings} too (a server it
     * shares or an external one keeps its own).
     */
    public static Database open(String url, Path dataDir, int port, Map<String, String> settings) throws IOException {
        Database db;
        if (url != null) {
            PgConnectOptions o = PgConnectOptions.fromUri(url).setCachePreparedStatements(true);
            db = new Database(null, o, "external PostgreSQL at " + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase());
        } else {
            Path pgDir = dataDir.resolve("pg");
            PgConnectOptions o = new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase("postgres")
                    .setUser("postgres").setPassword("postgres").setCachePreparedStatements(true);
            if (listening(port) && Files.exists(pgDir.resolve("postmaster.pid"))) {
                db = new Database(null, o, "embedded PostgreSQL of a running host, port " + port);
            } else {
                Files.createDirectories(pgDir);
                // the embedded server's defaults favour test speed (synchronous_commit off): a payment host needs
                // every commit on disk before the reply leaves
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(pgDir.toFile())
                        .setCleanDataDirectory(false).setPort(port);
                settings.forEach(builder::setServerConfig);
                builder.setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on").setServerConfig("full_page_writes", "on");
                EmbeddedPostgres pg = builder.start();
                db = new Database(pg, o, "embedded PostgreSQL in " + pgDir + ", port " + port
                        + (settings.isEmpty() ? "" : ", with " + settings));
            }
        }
        db.migrate();
        return db;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void migrate() {
        String jdbc = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
        Flyway.configure().dataSource(jdbc, options.getUser(), options.getPassword())
                .locations("classpath:db/migration").load().migrate();
    }

    /** The admin API's and the host's own pool ("admin" in the pool metrics). */
    public Pool pool(Vertx vertx, int maxSize) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(maxSize).setName("admin")).connectingTo(options).using(vertx).build();
    }

    /**
     * A pool for the terminals' traffic: as {@link #pool}, with each statement planned once, as index lookups. Its
     * statements read and write rows by key, and a commit group's statements take arrays (unnest). Left to itself
     * PostgreSQL plans those afresh on every execution (a custom plan knows the array's length and always looks
     * cheaper than the generic one), which cost more CPU than executing them; and a plan made once while the journal
     * is still small scans the whole journal until the next ANALYZE, which on a fresh database is minutes of load
     * later (measured: 10 ms per statement instead of 0.06). So generic plans are forced, and scans and hash or
     * merge joins are made the last resort: every statement here has its index.
     */
    public Pool terminalPool(Vertx vertx, int maxSize) {
        PgConnectOptions o = new PgConnectOptions(options).addProperty("plan_cache_mode", "force_generic_plan")
                .addProperty("enable_seqscan", "off").addProperty("enable_hashjoin", "off").addProperty("enable_mergejoin", "off");
        // each pool named for its metrics ("terminals-1", ...): unnamed, they all report as one and the metrics registry
        // warns of the clash at start-up
        PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setName("terminals-" + terminalPools.incrementAndGet());
        return PgBuilder.pool().with(pool).connectingTo(o).using(vertx).build();
    }

    /** True when this process started the embedded server (no running host shares it). */
    public boolean ownsServer() {
        return embedded != null;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        if (embedded != null) {
            embedded.close();
        }
    }
}
