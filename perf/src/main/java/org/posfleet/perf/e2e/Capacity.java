package org.posfleet.perf.e2e;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * What a stepped run knows of a target's capacity: the highest rate that passed, and the lowest rate above it that
 * failed (none: the ladder ended first). The capacity lies between the two, and so a ratio of two capacities lies
 * between bounds that the ladder's steps set: a measure bisected down to half its first failure can be twice too low.
 *
 * @param passed      the highest passing rate (0: none passed)
 * @param failedAbove the lowest failing rate above it; empty when no rate above it was tried
 */
public record Capacity(int passed, OptionalInt failedAbove) {

    /** From every step's rate and outcome: a rate passed if any of its tries did. */
    public static Capacity of(Iterable<Map.Entry<Integer, Boolean>> steps) {
        TreeMap<Integer, Boolean> passedAt = new TreeMap<>();
        for (Map.Entry<Integer, Boolean> s : steps) {
            passedAt.merge(s.getKey(), s.getValue(), Boolean::logicalOr);
        }
        int best = passedAt.entrySet().stream().filter(Map.Entry::getValue).mapToInt(Map.Entry::getKey).max().orElse(0);
        OptionalInt failed = passedAt.tailMap(best, false).keySet().stream().mapToInt(Integer::intValue).min();
        return new Capacity(best, failed);
    }

    /**
     * The bounds the ladders set on this capacity over {@code other}'s: {lowest, highest}, each NaN where a ladder
     * leaves that side open (the highest when this target never failed, the lowest when the other never did).
     */
    public double[] ratioBounds(Capacity other) {
        double low = other.failedAbove.isPresent() ? passed / (double) other.failedAbove.getAsInt() : Double.NaN;
        double high = failedAbove.isPresent() && other.passed > 0 ? failedAbove.getAsInt() / (double) other.passed : Double.NaN;
        return new double[] {low, high};
    }

    /** The bounds in words: "1.80x-2.22x", ">= 1.80x", "<= 2.22x", or "open" when the ladders bound neither side. */
    public String ratioBoundsText(Capacity other) {
        double[] b = ratioBounds(other);
        if (Double.isNaN(b[0]) && Double.isNaN(b[1])) {
            return "open";
        }
        if (Double.isNaN(b[1])) {
            return String.format(Locale.ROOT, ">= %.2fx", b[0]);
        }
        if (Double.isNaN(b[0])) {
            return String.format(Locale.ROOT, "<= %.2fx", b[1]);
        }
        return String.format(Locale.ROOT, "%.2fx-%.2fx", b[0], b[1]);
    }
}
