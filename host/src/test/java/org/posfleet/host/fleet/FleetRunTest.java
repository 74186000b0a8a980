package org.posfleet.host.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.posfleet.fleet.load.FleetConfig;
import org.posfleet.fleet.load.FleetRun;
import org.posfleet.fleet.load.Mix;
import org.posfleet.fleet.report.RunReport;
import org.posfleet.host.HostApp;
import org.posfleet.host.support.TestHost;
import org.posfleet.protocol.iso.Bcd;

/**
 * A short fleet run against the host: provisioned in one command, driven open loop with the full mix, every
 * reply verified, settlement agreeing with the host at the end, and the report written in all its forms.
 */
class FleetRunTest {

    private static final String FLEET_KEY = "0F1E2D3C4B5A69788796A5B4C3D2E1F0";

    @TempDir
    Path dir;

    @Test
    void injectedFaultsGetTheAnswersTheHostOwesThemAndSettlementStillBalances() throws Exception {
        HostApp host = TestHost.shared();
        provision(31000001, 30);
        var faults = org.posfleet.fleet.load.Fault.Plan.parse(
                "split=8,duplicate=8,bad-mac=6,disconnect=6,slow-reader=4,wrong-password=6,late-reversal=8,bad-length=4,bad-bitmap=4");
        FleetConfig fleet = new FleetConfig("127.0.0.1", host.port(), 30, 31000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY),
                "123456", "888888", 40, 1, 4, Mix.parse("sale=60,void=20,signature=10,settle=10"), 11, 10_000, 1_000, dir.resolve("faults"), 1, 200,
                faults, null, false, false);
        RunReport report = new FleetRun(fleet, new PrintStream(new ByteArrayOutputStream(), true)).run();
        assertThat(report.mismatches()).as("every fault answered as it must be, settlement balanced").isEmpty();
        assertThat(report.injected().keySet()).as("faults were injected").hasSizeGreaterThan(4);
    }

    @Test
    void rampAndClosedLoopRunsAreLabelledAndFollowTheirSchedule() throws Exception {
        HostApp host = TestHost.shared();
        provision(32000001, 20);
        FleetConfig ramp = new FleetConfig("127.0.0.1", host.port(), 20, 32000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY), "123456",
                "888888", 0, 1, 0, Mix.parse("sale=100"), 3, 10_000, 1_000, dir.resolve("ramp"), 1, 200,
                org.posfleet.fleet.load.Fault.Plan.NONE, org.posfleet.fleet.load.RateProfile.parse("10-50:4"), false, false);
        RunReport r = new FleetRun(ramp, new PrintStream(new ByteArrayOutputStream(), true)).run();
        long sales = count(r, "SALE");
        assertThat(sales).as("a 10->50/s ramp over 4 s schedules 120 arrivals").isBetween(110L, 121L);
        assertThat(Files.readString(dir.resolve("ramp").resolve("summary.json"))).contains("\"loop\" : \"open\"", "10->50/s for 4 s");

        FleetConfig closed = new FleetConfig("127.0.0.1", host.port(), 20, 32000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY), "123456",
                "888888", 0, 1, 2, Mix.parse("sale=100"), 3, 10_000, 1_000, dir.resolve("closed"), 1, 200,
                org.posfleet.fleet.load.Fault.Plan.NONE, null, true, true);
        RunReport c = new FleetRun(closed, new PrintStream(new ByteArrayOutputStream(), true)).run();
        assertThat(c.mismatches()).isEmpty();
        assertThat(Files.readString(dir.resolve("closed").resolve("summary.json"))).contains("\"loop\" : \"closed\"");
        assertThat(Files.readString(dir.resolve("closed").resolve("report.html"))).contains("closed loop");
    }

    @Test
    void aTerminalWhoseReplyIsStillOnItsWayWhenTheRunEndsSettlesOnceTheReplyComes() throws Exception {
        HostApp host = TestHost.shared();
        provision(36000001, 4);
        String held = "36000001";
        // the advisory lock a posting of this terminal takes (CommitGroup), held by a connection of the test's own from the
        // start of the measurement to 4 s after its end: the terminal's sale waits in the database past the moment
        // (3.1 s after the end) its run starts settling
        var connection = HostApp.await(host.journal().pool().getConnection());
        try {
            FleetConfig fleet = new FleetConfig("127.0.0.1", host.port(), 4, 36000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY), "123456",
                    "888888", 8, 1, 2, Mix.parse("sale=100"), 5, 10_000, 1_000, dir.resolve("late"), 1, 200,
                    org.posfleet.fleet.load.Fault.Plan.NONE, null, false, false);
            var lock = io.vertx.sqlclient.Tuple.of(held);
            FleetRun run = new FleetRun(fleet, new PrintStream(new ByteArrayOutputStream(), true)).onMeasurement(
                    () -> connection.preparedQuery("select pg_advisory_lock(hashtext($1))").execute(lock),
                    () -> host.vertx().setTimer(4_000, t -> connection.preparedQuery("select pg_advisory_unlock(hashtext($1))").execute(lock)));
            RunReport r = run.run();
            long settlements = count(r, "SETTLEMENT");
            assertThat(settlements).as("every terminal settled, the one whose sale was held among them").isEqualTo(4);
            assertThat(r.mismatches()).as("the held sale was answered, and every settlement balanced").isEmpty();
            var batch = HostApp.await(host.journal().pool().preparedQuery("select count(*) from journal j where j.tid = $1"
                    + " and j.batch_no = (select batch_no from terminal where tid = $1)").execute(lock)).iterator().next().getLong(0);
            assertThat(batch).as("the terminal's batch closed: its new batch holds nothing yet").isZero();
        } finally {
            connection.close();
        }
    }

    @Test
    void terminalsSharingAConnectionGetTheirOwnRepliesAndSettleBalanced() throws Exception {
        HostApp host = TestHost.shared();
        provision(38000001, 30);
        // the faults a terminal behind a NAC can still make; every reply is checked against the terminal's own STAN and
        // MAK, so a reply handed to the wrong terminal on the link shows as a mismatch
        var faults = org.posfleet.fleet.load.Fault.Plan.parse("duplicate=6,bad-mac=6,wrong-password=6,late-reversal=6,bad-bitmap=4");
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        FleetConfig fleet = new FleetConfig("127.0.0.1", host.port(), 30, 38000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY),
                "123456", "888888", 60, 1, 4, Mix.parse("sale=50,balance=10,void=15,signature=10,refund=5,preauth=5,preauth_void=5"), 13,
                10_000, 1_000, dir.resolve("nac"), 1, 200, faults, null, false, false).withTerminalsPerConnection(10);
        RunReport report = new FleetRun(fleet, new PrintStream(live, true)).run();

        assertThat(report.mismatches()).as("every reply reached its own terminal, settlement balanced").isEmpty();
        assertThat(report.injected().keySet()).as("faults were injected").hasSizeGreaterThan(3);
        assertThat(live.toString()).contains("signed on: 30 of 30", "10 terminals per connection (as behind a NAC): 3 connections");
        assertThat(report.seconds()).as("three connections for thirty terminals").allSatisfy(s -> assertThat(s.connected()).isEqualTo(3));
        long settlements = count(report, "SETTLEMENT");
        assertThat(settlements).isEqualTo(30);
        assertThat(Files.readString(dir.resolve("nac").resolve("summary.json"))).contains("\"terminalsPerConnection\" : 10");
        assertThat(Files.readString(dir.resolve("nac").resolve("report.html"))).contains("Connections (10 terminals on each)");
    }

    @Test
    void aSharedConnectionThatDropsTakesEveryTerminalOnItThroughReconnectionAndReversal() throws Exception {
        HostApp host = TestHost.shared();
        provision(38000101, 12);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            // a relay between the fleet and the host that cuts every connection through it once, as a NAC's line drops
            java.util.List<io.vertx.core.net.NetSocket> open = new java.util.concurrent.CopyOnWriteArrayList<>();
            io.vertx.core.net.NetClient toHost = vertx.createNetClient();
            io.vertx.core.net.NetServer relay = vertx.createNetServer().connectHandler(in -> {
                in.pause();
                toHost.connect(host.port(), "127.0.0.1").onSuccess(out -> {
                    open.add(in);
                    open.add(out);
                    in.handler(out::write);
                    out.handler(in::write);
                    in.closeHandler(v -> out.close());
                    out.closeHandler(v -> in.close());
                    in.resume();
                }).onFailure(e -> in.close());
            });
            int port = HostApp.await(relay.listen(0, "127.0.0.1")).actualPort();
            FleetConfig fleet = new FleetConfig("127.0.0.1", port, 12, 38000101, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY), "123456",
                    "888888", 60, 1, 4, Mix.parse("sale=80,void=20"), 17, 10_000, 1_000, dir.resolve("drop"), 1, 200,
                    org.posfleet.fleet.load.Fault.Plan.NONE, null, false, false).withTerminalsPerConnection(6);
            FleetRun run = new FleetRun(fleet, new PrintStream(new ByteArrayOutputStream(), true)).onMeasurement(
                    () -> vertx.setTimer(1_500, t -> open.forEach(io.vertx.core.net.NetSocket::close)), () -> { });
            RunReport r = run.run();

            long lost = r.mismatches().entrySet().stream().filter(e -> e.getKey().equals("connection closed by the host")
                    || e.getKey().endsWith(" connection lost")).mapToLong(java.util.Map.Entry::getValue).sum();
            assertThat(lost).as("all twelve terminals, idle or waiting for a reply, lost the connection").isEqualTo(12);
            assertThat(r.mismatches().keySet()).as("nothing else went wrong: reconnected, signed on, reversed, settled balanced")
                    .allMatch(k -> k.equals("connection closed by the host") || k.endsWith(" connection lost"));
            long settlements = count(r, "SETTLEMENT");
            assertThat(settlements).isEqualTo(12);
            assertThat(r.seconds().get(r.seconds().size() - 1).connected()).as("both links back").isEqualTo(2);
        } finally {
            vertx.close();
        }
    }

    /** How many replies of this type the run recorded. */
    private static long count(RunReport r, String type) {
        return r.types().stream().filter(t -> t.type().equals(type)).mapToLong(RunReport.TypeSummary::count).sum();
    }

    private void provision(long firstTid, int count) throws Exception {
        TestHost.provisionFleet(dir, firstTid, count, FLEET_KEY);
    }

    @Test
    void provisionedFleetRunsTheMixWithEveryReplyVerifiedAndSettlesBalanced() throws Exception {
        HostApp host = TestHost.shared();
        provision(30000001, 40);

        ByteArrayOutputStream live = new ByteArrayOutputStream();
        FleetConfig fleet = new FleetConfig("127.0.0.1", host.port(), 40, 30000001, TestHost.MID, "FLEET-", Bcd.fromHex(FLEET_KEY),
                "123456", "888888", 40, 1, 3, Mix.parse("sale=40,balance=10,void=15,signature=10,refund=10,preauth=10,preauth_void=5"), 7, 10_000, 1_000, dir.resolve("report"), 2, 200, org.posfleet.fleet.load.Fault.Plan.NONE, null, false, false);
        RunReport report = new FleetRun(fleet, new PrintStream(live, true)).run();

        assertThat(report.mismatches()).as("every reply verified, settlement balanced").isEmpty();
        Set<String> types = new HashSet<>();
        report.types().forEach(t -> types.add(t.type()));
        assertThat(types).contains("SALE", "BALANCE", "VOID", "SIGNATURE", "REFUND", "PREAUTH", "COMPLETION", "PREAUTH_VOID", "SETTLEMENT");
        long sales = count(report, "SALE");
        assertThat(sales).isGreaterThan(30);
        long salesBySecond = report.seconds().stream().map(s -> s.corrected().get("SALE")).filter(java.util.Objects::nonNull)
                .mapToLong(org.HdrHistogram.Histogram::getTotalCount).sum();
        assertThat(salesBySecond).as("the seconds' sales add up to the run's: the last, partial second and its late replies too")
                .isEqualTo(sales);
        assertThat(live.toString()).contains("target", "achieved", "p99", "connected", "lag p99");

        String json = Files.readString(dir.resolve("report").resolve("summary.json"));
        assertThat(json).contains("\"valid\"", "\"SALE\"", "\"p99Ms\"", "\"seconds\"", "\"latencyByResponseCode\"");
        String html = Files.readString(dir.resolve("report").resolve("report.html"));
        assertThat(html).contains("<svg", "percentile spectrum", "Target and achieved rate", "Connected terminals", "Response codes");

        Set<String> tags = new HashSet<>();
        HistogramLogReader reader = new HistogramLogReader(dir.resolve("report").resolve("latency.hlog").toFile());
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
            tags.add(h.getTag());
        }
        assertThat(tags).as("the interval log reads back, tagged by message type").contains("SALE", "BALANCE");
    }
}
