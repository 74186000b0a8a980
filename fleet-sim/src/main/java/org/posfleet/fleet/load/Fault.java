package org.posfleet.fleet.load;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Faults a terminal can inject into a sale, and what the host must answer to each. Given as percentages of
 * arrivals: "split=5,duplicate=2,bad-mac=1,disconnect=1". Draws come from each terminal's own seeded random,
 * so a run repeats exactly.
 */
public enum Fault {
    /** The frame arrives in three pieces, milliseconds apart: answered as usual (00). */
    SPLIT,
    /** The same sale sent twice: the second gets the stored reply, same RRN, posted once. */
    DUPLICATE,
    /** A corrupted MAC: A0 with "sign on again"; the terminal signs on and carries on. */
    BAD_MAC,
    /** The terminal drops the connection right after sending: it reconnects, signs on and reverses the sale (00). */
    DISCONNECT,
    /** The terminal stops reading for two seconds after sending: the reply waits, then arrives (00). */
    SLOW_READER,
    /** A void with a wrong supervisor password: 55 (75 once the supervisor is locked). */
    WRONG_PASSWORD,
    /** An approved sale reversed later, before the terminal's next transaction (00): it must not be settled. */
    LATE_REVERSAL,
    /**
     * A sale whose bitmap announces a field that is not there: the host cannot read it as sent. It answers 30
     * when the body does not decode, or refuses the garbled message it decodes (A0: the MAC cannot match);
     * never 00. The connection stays.
     */
    BAD_BITMAP,
    /** A frame whose 2-byte length is out of range: the host closes the connection; the terminal reconnects and reverses. */
    BAD_LENGTH;

    /**
     * Faults that act on the terminal's own connection (its bytes as they travel, its reading, its closing): a
     * terminal sharing a link has none. A NAC forwards whole frames, so a split frame does not reach the host split.
     */
    public boolean actsOnConnection() {
        return this == SPLIT || this == DISCONNECT || this == SLOW_READER || this == BAD_LENGTH;
    }

    /** The fault mix: a percentage per fault, the rest of the arrivals run clean. */
    public record Plan(Map<Fault, Double> percent) {
        public static final Plan NONE = new Plan(Map.of());

        public static Plan parse(String spec) {
            if (spec == null || spec.isBlank()) {
                return NONE;
            }
            Map<Fault, Double> p = new EnumMap<>(Fault.class);
            double total = 0;
            for (String part : spec.split(",")) {
                String[] kv = part.strip().split("=");
                if (kv.length != 2) {
                    throw new IllegalArgumentException("faults are name=percent: " + part);
                }
                double v = Double.parseDouble(kv[1].strip());
                p.put(Fault.valueOf(kv[0].strip().toUpperCase(Locale.ROOT).replace('-', '_')), v);
                total += v;
            }
            if (total > 100) {
                throw new IllegalArgumentException("faults add up to more than 100%");
            }
            return new Plan(p);
        }

        /** The fault for one arrival, or null for a clean one. */
        public Fault draw(SplittableRandom random) {
            if (percent.isEmpty()) {
                return null;
            }
            double x = random.nextDouble() * 100;
            for (Map.Entry<Fault, Double> e : percent.entrySet()) {
                x -= e.getValue();
                if (x < 0) {
                    return e.getKey();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return percent.isEmpty() ? "none" : percent.toString();
        }
    }
}
