package org.posfleet.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixTest {

    @Test
    void drawsFollowThePercentagesAndRepeatWithTheSeed() {
        Mix mix = Mix.parse("sale=70, balance=10, void=10, signature=10");
        Map<Scenario, Integer> counts = new EnumMap<>(Scenario.class);
        SplittableRandom r = new SplittableRandom(42);
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            Scenario s = mix.draw(r);
            counts.merge(s, 1, Integer::sum);
            if (i < 50) {
                first.append(s.ordinal());
            }
        }
        assertThat(counts.get(Scenario.SALE)).isBetween(69_000, 71_000);
        assertThat(counts.get(Scenario.VOID)).isBetween(9_500, 10_500);
        SplittableRandom again = new SplittableRandom(42);
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            second.append(mix.draw(again).ordinal());
        }
        assertThat(second.toString()).isEqualTo(first.toString());
    }

    @Test
    void mixThatDoesNotAddUpTo100OrNamesNoScenarioIsRefused() {
        assertThatThrownBy(() -> Mix.parse("sale=70,void=20")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("90%");
        assertThatThrownBy(() -> Mix.parse("sale=50,lottery=50")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mix.parse("sale")).isInstanceOf(IllegalArgumentException.class);
    }
}
