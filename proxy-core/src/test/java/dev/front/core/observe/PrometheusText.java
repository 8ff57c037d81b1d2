package dev.front.core.observe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads one sample out of a {@link PrometheusMetrics} scrape, as Prometheus would see it. */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static String scrape(PrometheusMetrics metrics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            metrics.scrape(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The value of the sample written exactly as {@code series} (name plus labels as scraped); fails if absent. */
    public static double value(PrometheusMetrics metrics, String series) {
        String text = scrape(metrics);
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in:\n" + text);
    }
}
