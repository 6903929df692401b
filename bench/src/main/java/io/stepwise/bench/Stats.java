package io.stepwise.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Percentiles (nearest rank) of a set of samples in milliseconds. */
final class Stats {

    private Stats() {
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static Map<String, Object> summary(List<Double> samplesMs) {
        double[] s = samplesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return summary(s);
    }

    static Map<String, Object> summary(double[] sorted) {
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", sorted.length);
        m.put("p50Ms", round(percentile(sorted, 50)));
        m.put("p95Ms", round(percentile(sorted, 95)));
        m.put("p99Ms", round(percentile(sorted, 99)));
        m.put("maxMs", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]));
        return m;
    }

    static double median(List<Double> values) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }
}
