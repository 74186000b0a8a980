package org.posfleet.perf.e2e;

import java.util.List;
import java.util.OptionalInt;

/**
 * The rates one target is stepped through, decided one step at a time: up the given rates while they pass, each
 * failing step tried once more (a window of a few seconds can hold one GC pause or checkpoint), and after the
 * first rate that fails twice, the gap between it and the last passing rate (or zero) halved {@code bisections}
 * times. A step's rate depends only on the outcomes before it, so several targets' ladders can be walked in turns.
 *
 * <p>Not thread-safe.
 */
final class Ladder {

    private final List<Integer> rates;
    private final int bisections;
    private int index;
    private int current;
    private boolean retried;
    private int passed;
    /** The lowest rate that failed twice; -1 while climbing. */
    private int failed = -1;
    private int bisectionsLeft;
    private boolean done;

    Ladder(List<Integer> rates, int bisections) {
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs a rate");
        }
        this.rates = List.copyOf(rates);
        this.bisections = bisections;
        this.current = this.rates.get(0);
    }

    /** The rate of the next step; empty when the ladder is done. */
    OptionalInt next() {
        return done ? OptionalInt.empty() : OptionalInt.of(current);
    }

    /** The outcome of the step at {@link #next()}. */
    void record(boolean pass) {
        if (done) {
            throw new IllegalStateException("the ladder is done");
        }
        if (!pass && !retried) {
            retried = true; // the same rate once more
            return;
        }
        retried = false;
        if (failed < 0) {
            if (pass) {
                passed = current;
                if (++index == rates.size()) {
                    done = true;
                } else {
                    current = rates.get(index);
                }
                return;
            }
            failed = current;
            bisectionsLeft = bisections;
        } else {
            if (pass) {
                passed = current;
            } else {
                failed = current;
            }
            bisectionsLeft--;
        }
        int between = (passed + failed) / 2;
        if (bisectionsLeft <= 0 || between <= passed || between >= failed) {
            done = true;
        } else {
            current = between;
        }
    }
}
