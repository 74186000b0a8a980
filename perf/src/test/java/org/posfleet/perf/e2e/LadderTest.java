package org.posfleet.perf.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class LadderTest {

    /** Walks the ladder to its end with a target that passes at the rates {@code passes} accepts; the rates tried. */
    private static List<Integer> walk(Ladder ladder, IntPredicate passes) {
        List<Integer> tried = new ArrayList<>();
        while (ladder.next().isPresent()) {
            int rate = ladder.next().getAsInt();
            tried.add(rate);
            ladder.record(passes.test(rate));
        }
        return tried;
    }

    @Test
    void aTargetThatPassesEveryRateClimbsToTheTopAndStops() {
        assertThat(walk(new Ladder(List.of(1000, 2000, 4000), 2), rate -> true)).containsExactly(1000, 2000, 4000);
    }

    @Test
    void aFailingRateIsTriedOnceMoreAndThenTheGapBelowItIsHalvedAsManyTimesAsAsked() {
        // capacity 3200/s: 4000 fails twice, then 3000 passes, then 3500 fails twice
        assertThat(walk(new Ladder(List.of(1000, 2000, 4000, 8000), 2), rate -> rate <= 3200))
                .containsExactly(1000, 2000, 4000, 4000, 3000, 3500, 3500);
        assertThat(walk(new Ladder(List.of(1000, 2000, 4000, 8000), 0), rate -> rate <= 3200))
                .containsExactly(1000, 2000, 4000, 4000);
    }

    @Test
    void aStepThatPassesOnItsSecondTryLetsTheLadderClimbOn() {
        boolean[] firstTry = {true};
        List<Integer> tried = walk(new Ladder(List.of(1000, 2000, 3000), 2), rate -> {
            if (rate == 2000 && firstTry[0]) {
                firstTry[0] = false;
                return false; // one bad window
            }
            return true;
        });
        assertThat(tried).containsExactly(1000, 2000, 2000, 3000);
    }

    @Test
    void aTargetFailingTheFirstRateIsBisectedTowardsZero() {
        assertThat(walk(new Ladder(List.of(1000, 2000), 2), rate -> rate <= 300)).containsExactly(1000, 1000, 500, 500, 250);
    }

    @Test
    void aLadderThatIsDoneRefusesMoreOutcomes() {
        Ladder ladder = new Ladder(List.of(1000), 2);
        ladder.record(true);
        assertThat(ladder.next()).isEmpty();
        assertThatThrownBy(() -> ladder.record(true)).isInstanceOf(IllegalStateException.class);
    }
}
