package io.idnode.loadgen;

import java.util.Locale;

/**
 * A self-contained HTML page for a run: the summary figures and the latency distribution plotted as an
 * inline SVG (log latency against percentile on the usual 1/(1-p) scale), no scripts, no external resources.
 */
public final class HtmlReport {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    private static final int TOP = 20;
    private static final int RIGHT = 20;
    /** The plot reaches the 99.999th percentile: five nines. */
    private static final int NINES = 5;
    private static final int POINTS_PER_NINE = 20;

    private HtmlReport() {
    }

    /** The page for {@code report}. */
    public static String render(LoadReport report) {
        StringBuilder h = new StringBuilder(16_384);
        String title = "Idnode load: " + report.transport().cliName() + " " + mode(report) + " against "
                + report.target();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;"
                        + "text-align:right}th{text-align:left}</style></head><body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n<table>\n");
        row(h, "measured", fmt("%.1f s", report.seconds()));
        row(h, "sent", Long.toString(report.sent()));
        row(h, "received", Long.toString(report.received()));
        row(h, "timeouts", Long.toString(report.timeouts()));
        row(h, "errors", Long.toString(report.errors()));
        report.byCode().forEach((code, n) -> row(h, "response code " + code, Long.toString(n)));
        row(h, "throughput", fmt("%.0f replies/s", report.throughput()));
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            row(h, p == 100 ? "latency max" : "latency p" + trim(p), report.latencyAt(p) + " µs");
        }
        if (report.server() != null) {
            row(h, "server CPU", fmt("%.0f %% of a core", report.server().cpuPercent()));
            row(h, "server RSS", fmt("%.0f MiB", report.server().rssMiB()));
        }
        row(h, "generator CPU", fmt("%.0f %% of a core", report.client().cpuPercent()));
        h.append("</table>\n<h2>Latency by percentile</h2>\n");
        plot(h, report);
        h.append("\n<h2>Summary</h2>\n<pre>").append(escape(report.toJson())).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    private static void plot(StringBuilder h, LoadReport report) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        long max = Math.max(1, report.latencyMicros().getMaxValue());
        h.append("<svg width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-size=\"11\">\n");
        h.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        for (int n = 0; n <= NINES; n++) {
            double x = LEFT + (double) plotW * n / NINES;
            String label = n == 0 ? "0%" : trim(100 * (1 - Math.pow(10, -n))) + "%";
            h.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>", x, TOP, x, TOP + plotH))
                    .append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 15,
                            label));
        }
        // Latency on a log scale, 1 µs to the next power of ten above the maximum: body and tail both visible.
        int decades = Math.max(1, (int) Math.ceil(Math.log10(max + 1)));
        for (int d = 0; d <= decades; d++) {
            double y = TOP + plotH - (double) plotH * d / decades;
            h.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y,
                    LEFT + plotW, y))
                    .append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 5, y + 4,
                            micros((long) Math.pow(10, d))));
        }
        h.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n", LEFT + plotW / 2,
                HEIGHT - 5));
        if (report.latencyMicros().getTotalCount() > 0) {
            h.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"");
            for (int i = 0; i <= NINES * POINTS_PER_NINE; i++) {
                double nines = (double) i / POINTS_PER_NINE;
                double percentile = 100 * (1 - Math.pow(10, -nines));
                long v = report.latencyAt(percentile);
                double x = LEFT + plotW * nines / NINES;
                double y = TOP + plotH - plotH * Math.log10(Math.max(1, v)) / decades;
                h.append(fmt("%.1f,%.1f ", x, y));
            }
            h.append("\"/>\n");
        }
        h.append("</svg>");
    }

    private static String micros(long us) {
        return us >= 1_000_000 ? us / 1_000_000 + " s" : us >= 1000 ? us / 1000 + " ms" : us + " µs";
    }

    private static String mode(LoadReport r) {
        return r.rate() > 0 ? fmt("open loop at %.0f/s", r.rate()) : "closed loop, " + r.inFlight() + " in flight";
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private static String trim(double v) {
        String s = fmt("%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
