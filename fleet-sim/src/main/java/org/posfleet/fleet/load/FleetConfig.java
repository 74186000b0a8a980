package org.posfleet.fleet.load;

import java.nio.file.Path;

/**
 * A fleet run.
 *
 * @param rate          fleet-wide arrivals per second (open loop): arrivals are scheduled at fixed intervals
 *                      whether or not replies came back
 * @param warmupSeconds seconds of load before measuring starts (JIT, caches, first connections)
 * @param sourceAddresses terminals are spread over this many loopback source addresses (127.0.0.1, .2, ...): one
 *                        source address gives about 28,000 ephemeral ports towards one host port
 * @param connectRate     terminals connecting and signing on per second at the start (a storm at a set rate)
 * @param faults          the percentage of arrivals that get each fault
 * @param profile         steps or ramps of the rate (null: constant {@code rate})
 * @param closedLoop      each terminal starts its next transaction when the last one is answered: no schedule, so
 *                        latencies are service times and the run is labelled closed loop everywhere
 * @param connectionPerTransaction terminals connect for each transaction and close after the reply, instead of
 *                        holding a persistent connection
 * @param maxLagMillis  a run whose generator produced arrivals later than this (p99) is marked INVALID
 * @param echo          the target is a bare echo server (the machine's limit, in benchmarks): terminals do not sign
 *                      on or settle, and any reply frame with the request's STAN counts as answered
 * @param tls           terminals speak TLS to the host, trusting the certificates of this trust store (null: plain TCP)
 * @param terminalsPerConnection terminals sharing one connection, as behind a NAC (1: a connection each); replies
 *                      find their terminal by the TPDU's address, so the host must swap it as the protocol says
 */
public record FleetConfig(String host, int port, int terminals, long firstTid, String mid, String serialPrefix, byte[] fleetKey,
                          String operatorPassword, String voidPassword, double rate, int warmupSeconds, int durationSeconds, Mix mix, long seed,
                          long timeoutMillis, double maxLagMillis, Path reportDir, int sourceAddresses, double connectRate, Fault.Plan faults, RateProfile profile, boolean closedLoop,
                          boolean connectionPerTransaction, boolean echo, ClientTls tls, int terminalsPerConnection) {

    public FleetConfig {
        if (terminalsPerConnection < 1 || terminalsPerConnection > 0xFFFF) {
            throw new IllegalArgumentException("terminals per connection: 1 to 65,535 (the TPDU's address has two bytes)");
        }
        if (terminalsPerConnection > 1 && connectionPerTransaction) {
            throw new IllegalArgumentException("terminals sharing a connection cannot each connect per transaction");
        }
        if (terminalsPerConnection > 1 && faults != null) {
            for (Fault f : faults.percent().keySet()) {
                if (f.actsOnConnection()) {
                    throw new IllegalArgumentException("fault " + f + " acts on a terminal's own connection: not with terminals sharing one");
                }
            }
        }
    }

    /** A PKCS#12 trust store holding the host's certificate (or its issuer's), and its password. */
    public record ClientTls(Path trustStore, String password) {
        @Override
        public String toString() {
            return "ClientTls[" + trustStore + ", password hidden]";
        }
    }

    public FleetConfig(String host, int port, int terminals, long firstTid, String mid, String serialPrefix, byte[] fleetKey,
                       String operatorPassword, String voidPassword, double rate, int warmupSeconds, int durationSeconds, Mix mix, long seed,
                       long timeoutMillis, double maxLagMillis, Path reportDir, int sourceAddresses, double connectRate, Fault.Plan faults,
                       RateProfile profile, boolean closedLoop, boolean connectionPerTransaction, boolean echo) {
        this(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds, durationSeconds,
                mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, echo, null, 1);
    }

    public FleetConfig withTls(ClientTls t) {
        return new FleetConfig(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds,
                durationSeconds, mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, echo, t, terminalsPerConnection);
    }

    public FleetConfig withTerminalsPerConnection(int k) {
        return new FleetConfig(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds,
                durationSeconds, mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, echo, tls, k);
    }

    public FleetConfig(String host, int port, int terminals, long firstTid, String mid, String serialPrefix, byte[] fleetKey,
                       String operatorPassword, String voidPassword, double rate, int warmupSeconds, int durationSeconds, Mix mix, long seed,
                       long timeoutMillis, double maxLagMillis, Path reportDir, int sourceAddresses, double connectRate, Fault.Plan faults,
                       RateProfile profile, boolean closedLoop, boolean connectionPerTransaction) {
        this(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds, durationSeconds,
                mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, false, null, 1);
    }

    /** The rate over the measured part of the run: the profile when given, else {@code rate} for {@code durationSeconds}. */
    public RateProfile schedule() {
        return profile != null ? profile : RateProfile.constant(rate, durationSeconds);
    }

    public int measuredSeconds() {
        return (int) Math.ceil(schedule().durationSeconds());
    }
}
