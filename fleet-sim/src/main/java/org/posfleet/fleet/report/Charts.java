package org.posfleet.fleet.report;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;

/** Inline SVG line charts, so the report needs nothing but a browser. */
final class Charts {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};
    private static final int W = 760;
    private static final int H = 280;
    private static final int L = 60;
    private static final int B = 40;

    private Charts() {
    }

    /** Latency by percentile on the classic 1/(1-p) axis: 0, 90, 99, 99.9, 99.99 evenly spaced. */
    static String spectrum(List<RunReport.TypeSummary> types) {
        double maxMs = 0;
        for (RunReport.TypeSummary t : types) {
            maxMs = Math.max(maxMs, t.max());
        }
        maxMs = niceCeil(maxMs);
        StringBuilder s = frame("percentile", "ms", maxMs);
        String[] ticks = {"0%", "90%", "99%", "99.9%", "99.99%"};
        for (int i = 0; i < ticks.length; i++) {
            double x = L + (W - L - 20) * i / 4.0;
            s.append(text(x, H - B + 16, ticks[i], "middle"));
        }
        int c = 0;
        for (RunReport.TypeSummary t : types) {
            Histogram h = t.corrected();
            if (h.getTotalCount() == 0) {
                continue;
            }
            StringBuilder pts = new StringBuilder();
            for (double k = 0; k <= 4.0; k += 0.05) {
                double p = 100 * (1 - Math.pow(10, -k));
                double v = h.getValueAtPercentile(Math.min(p, 100)) / 1e6;
                pts.append(fmt(L + (W - L - 20) * k / 4.0)).append(',').append(fmt(y(v, maxMs))).append(' ');
            }
            s.append(line(pts, COLOURS[c % COLOURS.length])).append(legend(c, t.type()));
            c++;
        }
        return s.append("</svg>").toString();
    }

    static String series(List<RunReport.Second> seconds, String unit, List<String> names, Function<RunReport.Second, double[]> values) {
        double max = 1;
        for (RunReport.Second sec : seconds) {
            for (double v : values.apply(sec)) {
                max = Math.max(max, v);
            }
        }
        max = niceCeil(max);
        StringBuilder s = frame("second", unit, max);
        int n = Math.max(1, seconds.size() - 1);
        for (int k = 0; k < names.size(); k++) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < seconds.size(); i++) {
                double x = L + (W - L - 20) * i / (double) n;
                pts.append(fmt(x)).append(',').append(fmt(y(values.apply(seconds.get(i))[k], max))).append(' ');
            }
            s.append(line(pts, COLOURS[k % COLOURS.length])).append(legend(k, names.get(k)));
        }
        for (int i = 0; i < seconds.size(); i += Math.max(1, seconds.size() / 10)) {
            s.append(text(L + (W - L - 20) * i / (double) n, H - B + 16, String.valueOf(seconds.get(i).second()), "middle"));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder frame(String xLabel, String yLabel, double max) {
        StringBuilder s = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 "
                + W + " " + H + "\">");
        s.append("<line x1=\"").append(L).append("\" y1=\"10\" x2=\"").append(L).append("\" y2=\"").append(H - B).append("\" stroke=\"#333\"/>");
        s.append("<line x1=\"").append(L).append("\" y1=\"").append(H - B).append("\" x2=\"").append(W - 20).append("\" y2=\"").append(H - B)
                .append("\" stroke=\"#333\"/>");
        for (int i = 0; i <= 4; i++) {
            double v = max * i / 4;
            double yy = y(v, max);
            s.append("<line x1=\"").append(L).append("\" y1=\"").append(fmt(yy)).append("\" x2=\"").append(W - 20).append("\" y2=\"")
                    .append(fmt(yy)).append("\" stroke=\"#eee\"/>").append(text(L - 6, yy + 4, trim(v), "end"));
        }
        s.append(text(W / 2.0, H - 6, xLabel, "middle")).append(text(14, 20, yLabel, "start"));
        return s;
    }

    private static double y(double v, double max) {
        return (H - B) - (H - B - 10) * Math.min(v, max) / max;
    }

    private static String line(StringBuilder pts, String colour) {
        return "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"2\" points=\"" + pts.toString().strip() + "\"/>";
    }

    private static String legend(int i, String name) {
        int x = L + 10 + 140 * i;
        return "<rect x=\"" + x + "\" y=\"12\" width=\"12\" height=\"4\" fill=\"" + COLOURS[i % COLOURS.length] + "\"/>"
                + text(x + 16, 18, RunReport.esc(name), "start");
    }

    private static String text(double x, double y, String s, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"11\" text-anchor=\"" + anchor + "\">" + s + "</text>";
    }

    private static double niceCeil(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
