package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code throughput}: APPEND of 10 kB and of 1 MB messages per second, then FETCH BODY[] of the
 * 1 MB ones in MB/s, over plain TCP and over TLS. Each client works in its own mailbox
 * {@code BenchThroughput}, which it deletes at the end so repeated runs do not fill the disk.
 */
public final class ThroughputScenario {
    private static final String MAILBOX = "BenchThroughput";

    private ThroughputScenario() {
    }

    public static List<Map<String, Object>> run(Options o, PrintStream out) throws InterruptedException {
        var results = new ArrayList<Map<String, Object>>();
        for (String mode : o.string("transport", "plain,tls").split(",")) {
            results.add(runOnce(o, mode.trim().equals("tls"), out));
        }
        return results;
    }

    private interface Phase {
        void run(ImapConnection c, OpStats stats, SplittableRandom random) throws IOException;
    }

    static Map<String, Object> runOnce(Options o, boolean tls, PrintStream out) throws InterruptedException {
        var target = o.target(tls);
        int clients = o.integer("clients", 4);
        int small = o.integer("append-small", 200);
        int large = o.integer("append-large", 16);
        Duration fetchFor = o.duration("duration", Duration.ofSeconds(10));
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "throughput");
        result.put("label", o.string("label", "server"));
        result.put("tls", tls);
        result.put("clients", clients);
        phase(o, target, clients, "SETUP", (c, s, r) -> {
            c.command("DELETE " + MAILBOX);
            c.command("CREATE " + MAILBOX);
        });
        result.put("append10k", phase(o, target, clients, "APPEND_10K", (c, s, r) -> appendMany(c, s, r, small, 10 * 1024, "APPEND_10K")));
        result.put("append1m", phase(o, target, clients, "APPEND_1M", (c, s, r) -> appendMany(c, s, r, large, 1024 * 1024, "APPEND_1M")));
        long until = System.nanoTime() + fetchFor.toNanos();
        result.put("fetchBody", phase(o, target, clients, "FETCH_BODY", (c, s, r) -> fetchLarge(c, s, until)));
        phase(o, target, clients, "CLEANUP", (c, s, r) -> {
            c.command("CLOSE");
            c.command("DELETE " + MAILBOX);
        });
        print(out, result);
        return result;
    }

    /** Runs {@code phase} on {@code clients} connections (user i on connection i) at once and sums it up. */
    private static Map<String, Object> phase(Options o, Target target, int clients, String name, Phase phase)
            throws InterruptedException {
        var probe = new ServerProbe(o);
        var all = new OpStats();
        var threads = new ArrayList<Thread>();
        var perClient = new ArrayList<OpStats>();
        probe.start();
        long start = System.nanoTime();
        for (int i = 1; i <= clients; i++) {
            var stats = new OpStats();
            perClient.add(stats);
            String user = o.user(i);
            long seed = o.longValue("seed", 42) * 1000 + i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (var c = ImapConnection.open(target)) {
                    var login = c.login(user, o.string("password", "bench"));
                    if (!login.ok()) {
                        throw new IOException("LOGIN refused: " + login.tagged());
                    }
                    phase.run(c, stats, new SplittableRandom(seed));
                    c.command("LOGOUT");
                } catch (IOException | RuntimeException e) {
                    stats.record("CONNECTION", 0, false);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        perClient.forEach(all::mergeFrom);
        var summary = all.summarize(seconds);
        var op = summary.get(name);
        var out = new LinkedHashMap<String, Object>();
        out.put("seconds", seconds);
        out.put("count", op == null ? 0L : op.count());
        out.put("errors", all.overall(seconds).errors());
        out.put("opsPerSecond", op == null ? 0.0 : op.perSecond());
        out.put("megabytesPerSecond", op == null ? 0.0 : op.megabytesPerSecond());
        out.put("p50Millis", op == null ? 0.0 : op.p50Millis());
        out.put("p99Millis", op == null ? 0.0 : op.p99Millis());
        out.putAll(probe.finish(op == null ? 0 : op.count()));
        return out;
    }

    private static void appendMany(ImapConnection c, OpStats stats, SplittableRandom random, int count, int size, String op)
            throws IOException {
        byte[] message = Messages.message(random, size);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            var e = c.append(MAILBOX, "", message, true);
            stats.record(op, System.nanoTime() - start, e.ok());
            if (e.ok()) {
                stats.bytes(op, message.length);
            }
        }
    }

    private static void fetchLarge(ImapConnection c, OpStats stats, long until) throws IOException {
        var select = c.command("SELECT " + MAILBOX);
        if (!select.ok()) {
            throw new IOException("SELECT refused: " + select.tagged());
        }
        var search = c.command("UID SEARCH LARGER 500000");
        var uids = new ArrayList<String>();
        for (String line : search.untagged()) {
            if (line.startsWith("* SEARCH")) {
                for (String n : line.substring(8).trim().split(" +")) {
                    if (!n.isEmpty()) {
                        uids.add(n);
                    }
                }
            }
        }
        if (uids.isEmpty()) {
            throw new IOException("no large messages to fetch");
        }
        String set = String.join(",", uids);
        while (System.nanoTime() < until) {
            long start = System.nanoTime();
            var e = c.command("UID FETCH " + set + " BODY.PEEK[]");
            stats.record("FETCH_BODY", System.nanoTime() - start, e.ok());
            stats.bytes("FETCH_BODY", e.literalBytes());
        }
    }

    private static void print(PrintStream out, Map<String, Object> r) {
        out.printf("== throughput %s [%s]%n", Boolean.TRUE.equals(r.get("tls")) ? "TLS" : "plain", r.get("label"));
        for (String key : List.of("append10k", "append1m", "fetchBody")) {
            if (r.get(key) instanceof Map<?, ?> p) {
                out.printf(java.util.Locale.ROOT, "%-10s %8.1f ops/s %8.1f MB/s  p50 %.2f ms  p99 %.2f ms  errors %s%s%n", key,
                        (Double) p.get("opsPerSecond"), (Double) p.get("megabytesPerSecond"), (Double) p.get("p50Millis"),
                        (Double) p.get("p99Millis"), p.get("errors"),
                        p.containsKey("serverCpuMsPerOp") ? String.format(java.util.Locale.ROOT, "  server %.3f ms CPU/op",
                                (Double) p.get("serverCpuMsPerOp")) : "");
            }
        }
    }
}
