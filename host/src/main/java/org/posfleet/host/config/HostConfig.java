package org.posfleet.host.config;

import java.nio.file.Path;
import java.time.Duration;

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
 * @param overlapCommits     the next commit group of an event loop starts while one waits for its WAL flush (default:
 *                           more commits and database CPU per transaction, a shorter tail; docs/performance.md, run 8)
 * @param nativeTransport    sockets on the operating system's own event interface (epoll on Linux) where its library
 *                           loads, else Java's (NIO); default on. The host measured the same on both, the load
 *                           generator about 40 % less CPU on epoll (docs/performance.md, run 10)
 */
public record HostConfig(String bindAddress, int terminalPort, int instances, Path dataDir, String databaseUrl,
                         int embeddedDbPort, int maxConnections, int maxFrameBody, Duration idleTimeout,
                         Duration readTimeout, Duration keyMaxAge, long keyMaxUses, int passwordIterations,
                         int maxPasswordFailures, String acquirerId, boolean groupCommit, int adminPort, Tls tls,
                         AddressLimits addressLimits, boolean overlapCommits, boolean nativeTransport) {

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

    public HostConfig withAddressLimits(AddressLimits limits) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls,
                limits, overlapCommits, nativeTransport);
    }

    public HostConfig withTls(Tls t) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, t, addressLimits, overlapCommits, nativeTransport);
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
                "00000000001", true, 9584, null, AddressLimits.NONE, true, true);
    }

    public HostConfig withTerminalPort(int port) {
        return new HostConfig(bindAddress, port, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withDatabase(Path dir, String url, int dbPort) {
        return new HostConfig(bindAddress, terminalPort, instances, dir, url, dbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withLimits(int connections, int frameBody, Duration idle, Duration read) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, connections, frameBody,
                idle, read, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withKeyExpiry(Duration age, long uses) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections,
                maxFrameBody, idleTimeout, readTimeout, age, uses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withPasswords(int iterations, int maxFailures) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections,
                maxFrameBody, idleTimeout, readTimeout, keyMaxAge, keyMaxUses, iterations, maxFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withOverlapCommits(boolean on) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls,
                addressLimits, on, nativeTransport);
    }

    public HostConfig withGroupCommit(boolean on) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, on, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withAdminPort(int port) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, port, tls, addressLimits, overlapCommits, nativeTransport);
    }

    public HostConfig withNativeTransport(boolean on) {
        return new HostConfig(bindAddress, terminalPort, instances, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls,
                addressLimits, overlapCommits, on);
    }

    public HostConfig withInstances(int n) {
        return new HostConfig(bindAddress, terminalPort, n, dataDir, databaseUrl, embeddedDbPort, maxConnections, maxFrameBody,
                idleTimeout, readTimeout, keyMaxAge, keyMaxUses, passwordIterations, maxPasswordFailures, acquirerId, groupCommit, adminPort, tls, addressLimits, overlapCommits, nativeTransport);
    }
}
