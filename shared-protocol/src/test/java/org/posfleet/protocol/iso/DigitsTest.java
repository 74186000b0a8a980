package org.posfleet.protocol.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void writesWhatTheFormatterWritesForEveryWidthAndMagnitude() {
        Random random = new Random(8583);
        long[] edges = {0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 999_999_999_999L, 1_000_000_000_000L, Long.MAX_VALUE, -1, -42};
        for (int width = 1; width <= 19; width++) {
            for (long v : edges) {
                assertThat(Digits.padded(v, width)).isEqualTo(String.format(Locale.ROOT, "%0" + width + "d", v));
            }
            for (int i = 0; i < 200; i++) {
                long v = random.nextLong() >>> random.nextInt(64);
                assertThat(Digits.padded(v, width)).isEqualTo(String.format(Locale.ROOT, "%0" + width + "d", v));
            }
        }
    }

    @Test
    void appendsAfterWhatIsAlreadyThere() {
        assertThat(Digits.append(new StringBuilder("22"), 7, 6).append('x').toString()).isEqualTo("22000007x");
    }

    @Test
    void staysAsciiInALocaleWithOtherDigits() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("ar-SA-u-nu-arab"));
            assertThat(Digits.padded(42, 6)).isEqualTo("000042");
        } finally {
            Locale.setDefault(before);
        }
    }
}
