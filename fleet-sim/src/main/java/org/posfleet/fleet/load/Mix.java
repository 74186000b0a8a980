package org.posfleet.fleet.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The scenario mix, as percentages: "sale=70,balance=10,void=10,signature=10". Draws are seeded, so a run can
 * be repeated exactly.
 */
public final class Mix {

    private final Scenario[] table = new Scenario[100];
    private final Map<Scenario, Integer> percent;

    private Mix(Map<Scenario, Integer> percent) {
        this.percent = percent;
        int i = 0;
        for (Map.Entry<Scenario, Integer> e : percent.entrySet()) {
            for (int k = 0; k < e.getValue(); k++) {
                table[i++] = e.getKey();
            }
        }
    }

    public static Mix parse(String spec) {
        Map<Scenario, Integer> p = new EnumMap<>(Scenario.class);
        int total = 0;
        for (String part : spec.split(",")) {
            String[] kv = part.strip().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("mix entries are name=percent: " + part);
            }
            int v = Integer.parseInt(kv[1].strip());
            p.merge(Scenario.valueOf(kv[0].strip().toUpperCase(java.util.Locale.ROOT)), v, Integer::sum);
            total += v;
        }
        if (total != 100) {
            throw new IllegalArgumentException("the mix adds up to " + total + "%, not 100%");
        }
        return new Mix(p);
    }

    public Scenario draw(SplittableRandom random) {
        return table[random.nextInt(100)];
    }

    @Override
    public String toString() {
        return percent.toString();
    }
}
