package org.roost.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The human-readable tables the generator prints beside its JSON. */
final class Report {
    private Report() {
    }

    static void printOps(PrintStream out, String title, Map<String, Object> result, Map<String, OpStats.Summary> ops) {
        out.printf(Locale.ROOT, "== %s [%s]%n", title, result.get("label"));
        out.printf(Locale.ROOT, "%-12s %9s %7s %10s %9s %9s %9s%n", "command", "count", "errors", "ops/s", "p50 ms", "p99 ms", "MB/s");
        for (var s : ops.values()) {
            out.printf(Locale.ROOT, "%-12s %9d %7d %10.1f %9.2f %9.2f %9.1f%n", s.op(), s.count(), s.errors(),
                    s.perSecond(), s.p50Millis(), s.p99Millis(), s.megabytesPerSecond());
        }
        out.printf(Locale.ROOT, "%-12s %9s %7s %10.1f %9.2f %9.2f%n", "ALL", result.get("operations"), result.get("errors"),
                (Double) result.get("opsPerSecond"), (Double) result.get("p50Millis"), (Double) result.get("p99Millis"));
        if (result.containsKey("serverCpuMsPerOp")) {
            out.printf(Locale.ROOT, "server: %.3f ms CPU/op, %d processes, RSS %d kB, PSS %d kB%n",
                    (Double) result.get("serverCpuMsPerOp"), result.get("serverProcesses"),
                    result.get("serverRssKb"), result.get("serverPssKb"));
        }
        out.printf(Locale.ROOT, "consistency violations: %s%n", result.get("violations"));
        if (result.get("violationSamples") instanceof java.util.List<?> samples) {
            samples.stream().limit(10).forEach(v -> out.println("  ! " + v));
        }
    }
}
