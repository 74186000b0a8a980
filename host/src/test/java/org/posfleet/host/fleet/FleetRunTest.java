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
        long sales = r.types().stream().filter(t -> t.type().equals("SALE")).findFirst().orElseThrow().count();
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
            long settlements = r.types().stream().filter(t -> t.type().equals("SETTLEMENT")).mapToLong(RunReport.TypeSummary::count).sum();
            assertThat(settlements).as("every terminal settled, the one whose sale was held among them").isEqualTo(4);
            assertThat(r.mismatches()).as("the held sale was answered, and every settlement balanced").isEmpty();
            var batch = HostApp.await(host.journal().pool().preparedQuery("select count(*) from journal j where j.tid = $1"
                    + " and j.batch_no = (select batch_no from terminal where tid = $1)").execute(lock)).iterator().next().getLong(0);
            assertThat(batch).as("the terminal's batch closed: its new batch holds nothing yet").isZero();
        } finally {
            connection.close();
        }
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
        long sales = report.types().stream().filter(t -> t.type().equals("SALE")).findFirst().orElseThrow().count();
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
