package org.posfleet.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything the host can be told. Defaults suit one machine: loopback, embedded PostgreSQL in ./data.
 *
 * @param bindAddress        address the terminal port listens on
 * @param terminalPort       terminal port (0 picks a free one)
 * @param instances          terminal-server verticle instances; one per core
 * @param dataDir            embedded PostgreSQL data and the development LMK live here
 * @param databaseUrl        an external PostgreSQL ("postgresql://user:pass@host:port/db"); null = embedded
 * @param embeddedDbPort     port of the embedded PostgreSQL
 * @param maxConnections     terminal connections held at once; more are closed on accept
 * @param maxFrameBody       largest frame body accepted
 * @param idleTimeout        a connection with no traffic for this long is closed
 * @param readTimeout        a frame started but not completed within this is a broken stream: closed
 * @param keyMaxAge          working keys older than this ask for a new sign-on
 * @param keyMaxUses         working keys used for more MACed messages than this ask for a new sign-on
 * @param passwordIterations PBKDF2 iterations for new operator password hashes
 * @param maxPasswordFailures wrong passwords in a row that lock an operator
 * @param acquirerId         field 32 in replies
 * @param adminPort          port of the admin API and dashboard (0 picks a free one, -1 turns it off)
 * @param groupCommit        journal postings of one event loop share transactions and commits (default);
 *                           off: one transaction per posting, for comparison
 * @param tls                TLS on the terminal and admin ports (null: plain TCP and HTTP)
 * @param addressLimits      per source address: connections held and new connections a second (both off by default)
 * @param overlapBelow       the next commit group of an event loop starts while one waits for its WAL flush only when
 *                           fewer postings than this wait for it, or a full group (which also starts beside a running
 *                           one); more wait for the flush and go as
 *                           one larger group (0: one group at a time, full or not; {@link #OVERLAP_ALWAYS}: whatever
 *                           waits). Overlap shortens a lone posting's wait; under load it makes smaller groups, and
 *                           each group costs the database about as much as eight postings (docs/performance.md, runs
 *                           14 and 15)
 * @param nativeTransport    sockets on the operating system's own event interface (epoll on Linux) where its library
 *                           loads, else Java's (NIO); default on. The host measured the same on both, the load
 *                           generator about 40 % less CPU on epoll (docs/performance.md, run 10)
 * @param dbSettings         server settings for the embedded PostgreSQL (name to value, in order), on top of the host's
 *                           own; never the ones its durability rests on ({@link #DURABILITY_SETTINGS})
 * @param maxInFlight        requests outstanding on one connection before the host stops reading from it; a
 *                           terminal sends one at a time, a NAC's line carries many terminals' at once
 */
public record HostConfig(String bindAddress, int terminalPort, int instances, Path dataDir, String databaseUrl,
                         int embeddedDbPort, int maxConnections, int maxFrameBody, Duration idleTimeout,
                         Duration readTimeout, Duration keyMaxAge, long keyMaxUses, int passwordIterations,
                         int maxPasswordFailures, String acquirerId, boolean groupCommit, int adminPort, Tls tls,
                         AddressLimits addressLimits, int overlapBelow, boolean nativeTransport,
                         Map<String, String> dbSettings, int maxInFlight) {

    /**
     * The embedded server's settings that make every commit durable before its reply leaves; no {@code dbSettings}
     * may change them.
     */
    public static final Set<String> DURABILITY_SETTINGS = Set.of("synchronous_commit", "fsync", "full_page_writes", "wal_sync_method");

    /** {@link #overlapBelow} for overlap whatever waits. */
    public static final int OVERLAP_ALWAYS = Integer.MAX_VALUE;
    /** {@link #overlapBelow} by default: only a posting that comes alone (or a full group) starts during another's flush. */
    public static final int DEFAULT_OVERLAP_BELOW = 2;

    public HostConfig {
        if (overlapBelow < 0) {
            throw new IllegalArgumentException("overlap below: 0 (never) or more");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight per connection: at least 1");
        }
        dbSettings = Collections.unmodifiableMap(new LinkedHashMap<>(dbSettings));
        for (String name : dbSettings.keySet()) {
            if (!name.matches("[a-z_][a-z0-9_.]*")) {
                throw new IllegalArgumentException("not a PostgreSQL setting name: " + name);
            }
            if (DURABILITY_SETTINGS.contains(name)) {
                throw new IllegalArgumentException(name + " is the host's to set: every approval is on disk before its reply");
            }
        }
    }

    /** A PKCS#12 key store holding the host's private key and certificate chain, and its password. */
    public record Tls(Path keyStore, String password) {
        @Override
        public String toString() {
            return "Tls[" + keyStore + ", password hidden]";
        }
    }

    /**
     * Limits per source address, checked at accept before anything else is spent on a connection. Off (0) by
     * default: terminals often reach a host through a few gateways, and a load generator from one address.
     *
     * @param connections       connections one address may hold at once (0: no limit)
     * @param connectsPerSecond new connections one address may open a second, with a burst of twice that (0: no limit)
     */
    public record AddressLimits(int connections, int connectsPerSecond) {
        public static final AddressLimits NONE = new AddressLimits(0, 0);

        public AddressLimits {
            if (connections < 0 || connectsPerSecond < 0) {
                throw new IllegalArgumentException("address limits are counts, 0 for none");
            }
        }

        public boolean any() {
            return connections > 0 || connectsPerSecond > 0;
        }
    }

    /**
     * Event loops for the terminals: one per core, or one per two cores when the embedded PostgreSQL runs beside the
     * host. Each loop has its own commit group, and one loop's groups are twice the size of two loops' at the same
     * load (half the commits and WAL flushes); measured on two cores with the database beside: 2,000 sales/s at
     * p99 <= 10 ms with one loop, 500-1,000/s with two (docs/performance.md).
     */
    public static int defaultInstances(boolean embeddedDatabase) {
        int cores = Runtime.getRuntime().availableProcessors();
        return embeddedDatabase ? Math.max(1, cores / 2) : cores;
    }

    public static HostConfig defaults() {
        return new HostConfig("127.0.0.1", 9583, Runtime.getRuntime().availableProcessors(), Path.of("data"), null, 55432,
                120_000, 4096, Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofHours(24), 1_000_000, 120_000, 5,
                "00000000001", true, 9584, null, AddressLimits.NONE, DEFAULT_OVERLAP_BELOW, true, Map.of(), 32);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    public HostConfig withAddressLimits(AddressLimits limits) {
        return toBuilder().addressLimits(limits).build();
    }

    public HostConfig withTls(Tls t) {
        return toBuilder().tls(t).build();
    }

    public HostConfig withTerminalPort(int port) {
        return toBuilder().terminalPort(port).build();
    }

    public HostConfig withDatabase(Path dir, String url, int dbPort) {
        return toBuilder().dataDir(dir).databaseUrl(url).embeddedDbPort(dbPort).build();
    }

    public HostConfig withLimits(int connections, int frameBody, Duration idle, Duration read) {
        return toBuilder().maxConnections(connections).maxFrameBody(frameBody).idleTimeout(idle).readTimeout(read).build();
    }

    public HostConfig withKeyExpiry(Duration age, long uses) {
        return toBuilder().keyMaxAge(age).keyMaxUses(uses).build();
    }

    public HostConfig withPasswords(int iterations, int maxFailures) {
        return toBuilder().passwordIterations(iterations).maxPasswordFailures(maxFailures).build();
    }

    public HostConfig withGroupCommit(boolean on) {
        return toBuilder().groupCommit(on).build();
    }

    public HostConfig withAdminPort(int port) {
        return toBuilder().adminPort(port).build();
    }

    public HostConfig withNativeTransport(boolean on) {
        return toBuilder().nativeTransport(on).build();
    }

    public HostConfig withInstances(int n) {
        return toBuilder().instances(n).build();
    }

    public HostConfig withDbSettings(Map<String, String> settings) {
        return toBuilder().dbSettings(settings).build();
    }

    /** Changes some of a configuration's fields; {@link #build} checks the whole. */
    public static final class Builder {
        private String bindAddress;
        private int terminalPort;
        private int instances;
        private Path dataDir;
        private String databaseUrl;
        private int embeddedDbPort;
        private int maxConnections;
        private int maxFrameBody;
        private Duration idleTimeout;
        private Duration readTimeout;
        private Duration keyMaxAge;
        private long keyMaxUses;
        private int passwordIterations;
        private int maxPasswordFailures;
        private String acquirerId;
        private boolean groupCommit;
        private int adminPort;
        private Tls tls;
        private AddressLimits addressLimits;
        private int overlapBelow;
        private boolean nativeTransport;
        private Map<String, String> dbSettings;
        private int maxInFlight;

        private Builder(HostConfig c) {
            bindAddress = c.bindAddress;
            terminalPort = c.terminalPort;
            instances = c.instances;
            dataDir = c.dataDir;
            databaseUrl = c.databaseUrl;
            embeddedDbPort = c.embeddedDbPort;
            maxConnections = c.maxConnections;
            maxFrameBody = c.maxFrameBody;
            idleTimeout = c.idleTimeout;
            readTimeout = c.readTimeout;
            keyMaxAge = c.keyMaxAge;
            keyMaxUses = c.keyMaxUses;
            passwordIterations = c.passwordIterations;
            maxPasswordFailures = c.maxPasswordFailures;
            acquirerId = c.acquirerId;
            groupCommit = c.groupCommit;
            adminPort = c.adminPort;
            tls = c.tls;
            addressLimits = c.addressLimits;
            overlapBelow = c.overlapBelow;
            nativeTransport = c.nativeTransport;
            dbSettings = c.dbSettings;
            maxInFlight = c.maxInFlight;
        }

        public HostConfig build() {
            return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                    idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit,
                    adminPort, tls, addressLimits, overlapBelow, nativeTransport, dbSettings, maxInFlight);
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder terminalPort(int v) {
            terminalPort = v;
            return this;
        }

        public Builder instances(int v) {
            instances = v;
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder databaseUrl(String v) {
            databaseUrl = v;
            return this;
        }

        public Builder embeddedDbPort(int v) {
            embeddedDbPort = v;
            return this;
        }

        public Builder maxConnections(int v) {
            maxConnections = v;
            return this;
        }

        public Builder maxFrameBody(int v) {
            maxFrameBody = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder maxInFlight(int v) {
            maxInFlight = v;
            return this;
        }

        public Builder readTimeout(Duration v) {
            readTimeout = v;
            return this;
        }

        public Builder keyMaxAge(Duration v) {
            keyMaxAge = v;
            return this;
        }

        public Builder keyMaxUses(long v) {
            keyMaxUses = v;
            return this;
        }

        public Builder passwordIterations(int v) {
            passwordIterations = v;
            return this;
        }

        public Builder maxPasswordFailures(int v) {
            maxPasswordFailures = v;
            return this;
        }

        public Builder acquirerId(String v) {
            acquirerId = v;
            return this;
        }

        public Builder groupCommit(boolean v) {
            groupCommit = v;
            return this;
        }

        public Builder adminPort(int v) {
            adminPort = v;
            return this;
        }

        public Builder tls(Tls v) {
            tls = v;
            return this;
        }

        public Builder addressLimits(AddressLimits v) {
            addressLimits = v;
            return this;
        }

        public Builder overlapBelow(int v) {
            overlapBelow = v;
            return this;
        }

        public Builder nativeTransport(boolean v) {
            nativeTransport = v;
            return this;
        }

        public Builder dbSettings(Map<String, String> v) {
            dbSettings = v;
            return this;
        }
    }
}
