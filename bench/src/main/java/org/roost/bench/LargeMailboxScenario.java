package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code large-mailbox}: the requests of the index issue against one big INBOX ({@code --big-user},
 * filled by {@code populate --big-user}): SELECT, {@code UID FETCH 1:* (UID FLAGS)} to the last
 * byte, {@code UID SEARCH UNSEEN}, {@code SEARCH SINCE}, ENVELOPE of the newest 50. Each is
 * repeated {@code --runs} times on a fresh connection; the first run is the cold one. With
 * {@code --server-pid}, the server's memory while the last run still has the mailbox selected
 * (RSS, PSS and the resident high-water mark); with {@code --idle-connections N}, N sessions of
 * {@code --idle-user} sit in IDLE on their INBOX meanwhile (what a server holds beside its users).
 */
public final class LargeMailboxScenario {
    private static final List<String> REQUESTS = List.of("SELECT", "FETCH_UID_FLAGS", "SEARCH_UNSEEN", "SEARCH_SINCE",
            "ENVELOPE_50");

    private LargeMailboxScenario() {
    }

    public static Map<String, Object> run(Options o, PrintStream out) throws IOException {
        var target = o.target(false);
        String user = o.string("big-user", "big");
        int runs = o.integer("runs", 3);
        var times = new LinkedHashMap<String, List<Double>>();
        REQUESTS.forEach(r -> times.put(r, new ArrayList<>()));
        long count = 0;
        long responseBytes = 0;
        var probe = new ServerProbe(o);
        var selected = probe.snapshot();
        var idlers = openIdlers(o, target);
        for (int run = 0; run < runs; run++) {
            try (var c = ImapConnection.open(target)) {
                var login = c.login(user, o.string("password", "bench"));
                if (!login.ok()) {
                    throw new IOException("LOGIN refused: " + login.tagged());
                }
                var select = timed(times, "SELECT", () -> c.command("SELECT INBOX"));
                var checker = new ConsistencyChecker(false);
                checker.observe(select);
                count = checker.knownUids().size();
                var flags = timed(times, "FETCH_UID_FLAGS", () -> c.command("UID FETCH 1:* (UID FLAGS)"));
                responseBytes = flags.untagged().stream().mapToLong(l -> l.length() + 2).sum();
                timed(times, "SEARCH_UNSEEN", () -> c.command("UID SEARCH UNSEEN"));
                timed(times, "SEARCH_SINCE", () -> c.command("SEARCH SINCE 1-Jan-2026"));
                long last = count;
                timed(times, "ENVELOPE_50", () -> c.command("FETCH " + Math.max(1, last - 49) + ":" + Math.max(1, last) + " ENVELOPE"));
                if (run == runs - 1) {
                    selected = probe.snapshot();
                }
                c.command("LOGOUT");
            }
        }
        for (var idler : idlers) {
            idler.connection.close();
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "large-mailbox");
        result.put("label", o.string("label", "server"));
        result.put("messages", count);
        result.put("uidFlagsResponseBytes", responseBytes);
        result.put("millis", times);
        result.put("idleConnections", idlers.size());
        if (probe.active()) {
            result.put("serverRssKbSelected", selected.rssKb());
            result.put("serverPssKbSelected", selected.pssKb());
            result.put("serverPeakRssKb", selected.peakRssKb());
            out.printf(Locale.ROOT, "server with the mailbox selected (%d idlers beside): RSS %d kB, PSS %d kB, peak RSS %d kB%n",
                    idlers.size(), selected.rssKb(), selected.pssKb(), selected.peakRssKb());
        }
        out.printf(Locale.ROOT, "== large-mailbox [%s]: %d messages, UID FLAGS response %.1f MB%n", result.get("label"), count,
                responseBytes / 1e6);
        times.forEach((k, v) -> out.printf(Locale.ROOT, "%-16s first %.1f ms, median %.1f ms  %s%n", k, v.isEmpty() ? -1 : v.get(0),
                median(v), v));
        return result;
    }

    private static List<IdleScenario.Idler> openIdlers(Options o, Target target) throws IOException {
        var idlers = new ArrayList<IdleScenario.Idler>();
        String user = o.string("idle-user", "idle");
        for (int i = o.integer("idle-connections", 0); i > 0; i--) {
            idlers.add(IdleScenario.enterIdle(target, user, o.string("password", "bench")));
        }
        return idlers;
    }

    private interface Call {
        Exchange run() throws IOException;
    }

    private static Exchange timed(Map<String, List<Double>> times, String name, Call call) throws IOException {
        long start = System.nanoTime();
        var e = call.run();
        times.get(name).add((System.nanoTime() - start) / 1e6);
        if (!e.ok()) {
            throw new IOException(name + " refused: " + e.tagged());
        }
        return e;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return -1;
        }
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
