package org.posfleet.perf.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ratios of a run whose targets were listed more than once ({@code jpos3,posfleet,jpos3,posfleet}): the k-th
 * measure of one target against the k-th of the other, the pair that was stepped side by side, and their median.
 * On a machine whose speed drifts, the spread of the pairs is what a single ratio would hide.
 */
final class PairRatios {

    private PairRatios() {
    }

    /** A target's name without its measure's suffix: "posfleet#2" is "posfleet". */
    static String base(String name) {
        int hash = name.indexOf('#');
        return hash < 0 ? name : name.substring(0, hash);
    }

    /**
     * One line per (host, other) pair of targets measured at least twice each, in the order of {@code capacity}'s
     * names: "posfleet / jpos3, pair by pair: 2.30x, 3.86x, 2.70x; median **2.70x**" (Markdown). A host is a target whose base
     * name starts with "posfleet"; a pair whose other measure passed no rate has no ratio and is skipped.
     */
    static List<String> lines(Map<String, Integer> capacity) {
        Map<String, List<Integer>> measures = new LinkedHashMap<>();
        capacity.forEach((name, passed) -> measures.computeIfAbsent(base(name), k -> new ArrayList<>()).add(passed));
        List<String> out = new ArrayList<>();
        for (var host : measures.entrySet()) {
            if (!host.getKey().startsWith("posfleet")) {
                continue;
            }
            for (var other : measures.entrySet()) {
                if (other.getKey().startsWith("posfleet") || host.getValue().size() < 2 || other.getValue().size() < 2) {
                    continue;
                }
                List<Double> ratios = new ArrayList<>();
                for (int k = 0; k < Math.min(host.getValue().size(), other.getValue().size()); k++) {
                    if (other.getValue().get(k) > 0) {
                        ratios.add(host.getValue().get(k) / (double) other.getValue().get(k));
                    }
                }
                if (ratios.isEmpty()) {
                    continue;
                }
                StringBuilder b = new StringBuilder(host.getKey() + " / " + other.getKey() + ", pair by pair: ");
                for (int i = 0; i < ratios.size(); i++) {
                    b.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2fx", ratios.get(i)));
                }
                out.add(b.append(String.format(Locale.ROOT, "; median **%.2fx**", median(ratios))).toString());
            }
        }
        return out;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
