package org.posfleet.perf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CapacityTest {

    private static Capacity of(Object... rateThenPass) {
        List<Map.Entry<Integer, Boolean>> steps = new java.util.ArrayList<>();
        for (int i = 0; i < rateThenPass.length; i += 2) {
            steps.add(Map.entry((Integer) rateThenPass[i], (Boolean) rateThenPass[i + 1]));
        }
        return Capacity.of(steps);
    }

    @Test
    void aRateFailedOnceThenPassedOnItsSecondTryCountsAsPassed() {
        Capacity c = of(1000, true, 2000, false, 2000, true, 3000, false, 3000, false, 2500, false, 2500, false);
        assertThat(c).isEqualTo(new Capacity(2000, OptionalInt.of(2500)));
    }

    @Test
    void aLadderThatNeverFailedLeavesTheCapacityOpenAbove() {
        assertThat(of(1000, true, 2000, true)).isEqualTo(new Capacity(2000, OptionalInt.empty()));
        assertThat(of(1000, false, 500, false)).isEqualTo(new Capacity(0, OptionalInt.of(500)));
    }

    @Test
    void aMeasureBisectedFarBelowItsFailureWidensTheRatiosBounds() {
        // run 15's 50 ms run: jPOS 3 failed 5,000 and 2,500/s and passed 1,250/s; posfleet passed 9,000/s, failed 9,500/s
        Capacity jpos = of(5000, false, 2500, false, 1250, true);
        Capacity posfleet = of(5000, true, 9000, true, 11000, false, 10000, false, 9500, false);
        assertThat(posfleet.ratioBounds(jpos)).containsExactly(9000 / 2500.0, 9500 / 1250.0);
        assertThat(posfleet.ratioBoundsText(jpos)).isEqualTo("3.60x-7.60x");
    }

    @Test
    void aSideNoLadderBoundsIsSaidToBeOpen() {
        Capacity top = of(12000, true);
        Capacity peer = of(5000, true, 6000, false);
        assertThat(top.ratioBoundsText(peer)).isEqualTo(">= 2.00x");
        assertThat(peer.ratioBoundsText(top)).isEqualTo("<= 0.50x");
        assertThat(top.ratioBoundsText(of(5000, true))).isEqualTo("open");
    }
}
