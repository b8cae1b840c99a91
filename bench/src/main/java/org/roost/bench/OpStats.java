package org.roost.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies and error counts per operation name, recorded by one client thread without locks
 * and merged after the run. Latencies are kept exactly (a long per operation), which is cheap at
 * the rates a 2-core machine reaches and gives true percentiles.
 */
public final class OpStats {
    private final Map<String, Series> series = new TreeMap<>();

    private static final class Series {
        long[] nanos = new long[64];
        int count;
        long errors;
        long bytes;

        void add(long value) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = value;
        }
    }

    public void record(String op, long nanos, boolean ok) {
        var s = series.computeIfAbsent(op, k -> new Series());
        s.add(nanos);
        if (!ok) {
            s.errors++;
        }
    }

    public void bytes(String op, long count) {
        series.computeIfAbsent(op, k -> new Series()).bytes += count;
    }

    public void mergeFrom(OpStats other) {
        for (var e : other.series.entrySet()) {
            var mine = series.computeIfAbsent(e.getKey(), k -> new Series());
            var theirs = e.getValue();
            for (int i = 0; i < theirs.count; i++) {
                mine.add(theirs.nanos[i]);
            }
            mine.errors += theirs.errors;
            mine.bytes += theirs.bytes;
        }
    }

    /** One operation's figures over a run of {@code seconds}. */
    public record Summary(String op, long count, long errors, double perSecond, double p50Millis,
                          double p99Millis, double maxMillis, double megabytesPerSecond) {
    }

    public Map<String, Summary> summarize(double seconds) {
        var out = new TreeMap<String, Summary>();
        for (var e : series.entrySet()) {
            var s = e.getValue();
            long[] sorted = Arrays.copyOf(s.nanos, s.count);
            Arrays.sort(sorted);
            out.put(e.getKey(), new Summary(e.getKey(), s.count, s.errors, s.count / seconds,
                    percentile(sorted, 0.50), percentile(sorted, 0.99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, s.bytes / 1e6 / seconds));
        }
        return out;
    }

    public long totalCount() {
        return series.values().stream().mapToLong(s -> s.count).sum();
    }

    /** All latencies together, for the overall p50/p99. */
    public Summary overall(double seconds) {
        var all = new OpStats();
        var merged = all.series.computeIfAbsent("ALL", k -> new Series());
        for (var s : series.values()) {
            for (int i = 0; i < s.count; i++) {
                merged.add(s.nanos[i]);
            }
            merged.errors += s.errors;
            merged.bytes += s.bytes;
        }
        return all.summarize(seconds).get("ALL");
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
