package org.posfleet.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class RunReportTest {

    /** {@code fast} replies at 2 ms and {@code slow} at 50 ms. */
    private static Histogram latencies(int fast, int slow) {
        Histogram h = new Histogram(60_000_000_000L, 3);
        h.recordValueWithCount(2_000_000L, Math.max(fast, 0));
        if (slow > 0) {
            h.recordValueWithCount(50_000_000L, slow);
        }
        return h;
    }

    private static RunReport.Second second(int n, Map<String, Histogram> corrected) {
        return new RunReport.Second(n, 100, 100, 2, 2, 0, 10, 0.1, corrected, 10);
    }

    @Test
    void aSecondCountsOverTheLimitWhenItsTransactionsP99IsOverAndOnlyTheTypesAskedForCount() {
        List<RunReport.Second> seconds = List.of(
                second(1, Map.of("SALE", latencies(100, 0), "VOID", latencies(20, 0))),
                // 2 of 100 slow: the second's p99 is 50 ms
                second(2, Map.of("SALE", latencies(80, 1), "VOID", latencies(18, 1))),
                // 1 of 100 slow: p99 still 2 ms
                second(3, Map.of("SALE", latencies(99, 1))),
                // only a slow settlement: not a transaction asked for, and no second of them
                second(4, Map.of("SETTLEMENT", latencies(0, 5))),
                second(5, Map.of()));

        RunReport.SecondsOver over = RunReport.secondsOver(seconds, Set.of("SALE", "VOID"), 10);

        assertThat(over).isEqualTo(new RunReport.SecondsOver(1, 3));
        assertThat(RunReport.secondsOver(seconds, Set.of("SALE", "VOID"), 60)).isEqualTo(new RunReport.SecondsOver(0, 3));
        assertThat(RunReport.secondsOver(seconds, Set.of("SETTLEMENT"), 10)).isEqualTo(new RunReport.SecondsOver(1, 1));
    }
}
