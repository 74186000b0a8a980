package org.posfleet.fleet.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateProfileTest {

    @Test
    void constantRatePlacesArrivalsEvenly() {
        RateProfile p = RateProfile.constant(100, 10);
        assertThat(p.timeOf(0)).isCloseTo(0.01, within(1e-9));
        assertThat(p.timeOf(99)).isCloseTo(1.0, within(1e-9));
        assertThat(p.timeOf(999)).isCloseTo(10.0, within(1e-9));
        assertThat(p.timeOf(1000)).isInfinite();
    }

    @Test
    void stepsAndRampsCountTheirArrivals() {
        RateProfile steps = RateProfile.parse("100:10,200:10");
        assertThat(steps.durationSeconds()).isEqualTo(20);
        assertThat(steps.arrivals(20)).isCloseTo(3000, within(1e-6));
        assertThat(steps.rateAt(15)).isEqualTo(200);
        RateProfile ramp = RateProfile.parse("0-100:10");
        assertThat(ramp.arrivals(10)).isCloseTo(500, within(1e-6));
        assertThat(ramp.rateAt(5)).isCloseTo(50, within(1e-9));
        assertThat(ramp.timeOf(124)).as("a quarter of a linear ramp's arrivals come in its first half").isCloseTo(5.0, within(1e-6));
    }
}
