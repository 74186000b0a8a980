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
 */
public record FleetConfig(String host, int port, int terminals, long firstTid, String mid, String serialPrefix, byte[] fleetKey,
                          String operatorPassword, String voidPassword, double rate, int warmupSeconds, int durationSeconds, Mix mix, long seed,
                          long timeoutMillis, double maxLagMillis, Path reportDir, int sourceAddresses, double connectRate, Fault.Plan faults, RateProfile profile, boolean closedLoop,
                          boolean connectionPerTransaction, boolean echo, ClientTls tls) {

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
                connectionPerTransaction, echo, null);
    }

    public FleetConfig withTls(ClientTls t) {
        return new FleetConfig(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds,
                durationSeconds, mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, echo, t);
    }

    public FleetConfig(String host, int port, int terminals, long firstTid, String mid, String serialPrefix, byte[] fleetKey,
                       String operatorPassword, String voidPassword, double rate, int warmupSeconds, int durationSeconds, Mix mix, long seed,
                       long timeoutMillis, double maxLagMillis, Path reportDir, int sourceAddresses, double connectRate, Fault.Plan faults,
                       RateProfile profile, boolean closedLoop, boolean connectionPerTransaction) {
        this(host, port, terminals, firstTid, mid, serialPrefix, fleetKey, operatorPassword, voidPassword, rate, warmupSeconds, durationSeconds,
                mix, seed, timeoutMillis, maxLagMillis, reportDir, sourceAddresses, connectRate, faults, profile, closedLoop,
                connectionPerTransaction, false, null);
    }

    /** The rate over the measured part of the run: the profile when given, else {@code rate} for {@code durationSeconds}. */
    public RateProfile schedule() {
        return profile != null ? profile : RateProfile.constant(rate, durationSeconds);
    }

    public int measuredSeconds() {
        return (int) Math.ceil(schedule().durationSeconds());
    }
}
