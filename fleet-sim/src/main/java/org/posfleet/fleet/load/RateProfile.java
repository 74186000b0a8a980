package org.posfleet.fleet.load;

import java.util.ArrayList;
import java.util.List;

/**
 * The arrival rate over time: constant, steps, or ramps, as segments "rate:seconds" or "from-to:seconds",
 * e.g. "100:10,200:10" (steps) or "50-500:30" (a ramp). The schedule places arrival k at the time the
 * cumulative number of arrivals reaches k, so a ramp's arrivals are exact, not rounded to timer ticks.
 */
public final class RateProfile {

    private record Segment(double start, double from, double to, double seconds) {
        /** Arrivals within the segment by {@code t} seconds into it. */
        double arrivals(double t) {
            return from * t + (to - from) * t * t / (2 * seconds);
        }

        double total() {
            return arrivals(seconds);
        }

        double rateAt(double t) {
            return from + (to - from) * t / seconds;
        }
    }

    private final List<Segment> segments;
    private final double duration;

    private RateProfile(List<Segment> segments) {
        this.segments = List.copyOf(segments);
        this.duration = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).start() + segments.get(segments.size() - 1).seconds();
    }

    public static RateProfile constant(double rate, double seconds) {
        return new RateProfile(List.of(new Segment(0, rate, rate, seconds)));
    }

    public static RateProfile parse(String spec) {
        List<Segment> out = new ArrayList<>();
        double start = 0;
        for (String part : spec.split(",")) {
            String[] rs = part.strip().split(":");
            if (rs.length != 2) {
                throw new IllegalArgumentException("a rate segment is rate:seconds or from-to:seconds, not " + part);
            }
            String[] ft = rs[0].split("-");
            double from = Double.parseDouble(ft[0]);
            double to = ft.length > 1 ? Double.parseDouble(ft[1]) : from;
            double seconds = Double.parseDouble(rs[1]);
            if (from < 0 || to < 0 || seconds <= 0) {
                throw new IllegalArgumentException("rates are >= 0 and durations > 0: " + part);
            }
            out.add(new Segment(start, from, to, seconds));
            start += seconds;
        }
        return new RateProfile(out);
    }

    public double durationSeconds() {
        return duration;
    }

    /** Cumulative arrivals by {@code t} seconds from the start. */
    public double arrivals(double t) {
        double n = 0;
        for (Segment s : segments) {
            if (t <= s.start()) {
                break;
            }
            n += t >= s.start() + s.seconds() ? s.total() : s.arrivals(t - s.start());
        }
        return n;
    }

    /** The target rate at {@code t}. */
    public double rateAt(double t) {
        for (Segment s : segments) {
            if (t < s.start() + s.seconds()) {
                return s.rateAt(Math.max(0, t - s.start()));
            }
        }
        return 0;
    }

    /** When arrival {@code k} (0-based) is due, in seconds from the start; infinity after the profile's end. */
    public double timeOf(long k) {
        double target = k + 1;
        if (arrivals(duration) < target) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = 0;
        double hi = duration;
        for (int i = 0; i < 50; i++) {
            double mid = (lo + hi) / 2;
            if (arrivals(mid) >= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(s.from() == s.to() ? fmt(s.from()) : fmt(s.from()) + "->" + fmt(s.to())).append("/s for ").append(fmt(s.seconds())).append(" s");
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
