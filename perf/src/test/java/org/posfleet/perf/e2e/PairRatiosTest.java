package org.posfleet.perf.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairRatiosTest {

    private static Map<String, Integer> capacities(Object... nameThenRate) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenRate.length; i += 2) {
            m.put((String) nameThenRate[i], (Integer) nameThenRate[i + 1]);
        }
        return m;
    }

    @Test
    void eachMeasureIsSetAgainstTheOneSteppedBesideItAndTheMedianSummarisesThem() {
        // run H1: three pairs in turns
        Map<String, Integer> c = capacities("jpos3", 2500, "posfleet", 5750, "jpos3#2", 1750, "posfleet#2", 6750, "jpos3#3", 2500,
                "posfleet#3", 6750);
        assertThat(PairRatios.lines(c)).containsExactly("posfleet / jpos3, pair by pair: 2.30x, 3.86x, 2.70x; median **2.70x**");
    }

    @Test
    void theMedianOfAnEvenNumberOfPairsIsTheMeanOfTheMiddleTwo() {
        assertThat(PairRatios.median(List.of(3.0, 1.0, 4.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void aPairWhoseOtherMeasurePassedNothingHasNoRatioAndTargetsMeasuredOnceHaveNoPairs() {
        assertThat(PairRatios.lines(capacities("jpos3", 0, "posfleet", 5000, "jpos3#2", 2000, "posfleet#2", 6000)))
                .containsExactly("posfleet / jpos3, pair by pair: 3.00x; median **3.00x**");
        assertThat(PairRatios.lines(capacities("echo", 20000, "posfleet", 5000, "jpos3", 2000))).isEmpty();
    }

    @Test
    void variantsOfTheHostArePairedWithTheOtherTargetsByTheirOwnBaseName() {
        Map<String, Integer> c = capacities("before", 7250, "posfleet", 8750, "before#2", 7750, "posfleet#2", 6750);
        assertThat(PairRatios.lines(c)).containsExactly("posfleet / before, pair by pair: 1.21x, 0.87x; median **1.04x**");
    }
}
