package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code logins}: logins per second over many users, the way a user database is loaded: each of {@code --clients}
 * connections in turn takes the next user of {@code --users}, connects, logs in with {@code --password} (its
 * {@code %d} is the user's number) and logs out. One pass goes over every user once; {@code --passes cold,warm}
 * runs two, so the first meets empty caches (in the server and its user database) and the second warm ones.
 * {@code --first N} starts at user N instead of 1, so a warm-up pass (for a JIT) can use users the measured passes
 * never ask for.
 */
public final class LoginScenario {
    private LoginScenario() {
    }

    public static List<Map<String, Object>> run(Options o, PrintStream out) throws InterruptedException {
        var results = new ArrayList<Map<String, Object>>();
        for (String pass : o.string("passes", "cold,warm").split(",")) {
            var result = pass(o, pass.strip());
            print(out, result);
            results.add(result);
        }
        return results;
    }

    private static Map<String, Object> pass(Options o, String name) throws InterruptedException {
        var target = o.target(false);
        int clients = o.integer("clients", 16);
        int users = o.integer("users", 1000);
        int first = o.integer("first", 1);
        int last = first + users - 1;
        var next = new AtomicInteger(first);
        var probe = new ServerProbe(o);
        var perClient = new ArrayList<OpStats>();
        var threads = new ArrayList<Thread>();
        probe.start();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            var stats = new OpStats();
            perClient.add(stats);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = next.getAndIncrement(); i <= last; i = next.getAndIncrement()) {
                    long began = System.nanoTime();
                    boolean ok = login(o, target, i);
                    stats.record("LOGIN", System.nanoTime() - began, ok);
                }
            }));
        }
        for (var t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var all = new OpStats();
        perClient.forEach(all::mergeFrom);
        var login = all.summarize(seconds).get("LOGIN");
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "logins");
        result.put("label", o.string("label", "server"));
        result.put("pass", name);
        result.put("users", users);
        result.put("clients", clients);
        result.put("seconds", seconds);
        result.put("logins", login.count());
        result.put("errors", login.errors());
        result.put("loginsPerSecond", (login.count() - login.errors()) / seconds);
        result.put("p50Millis", login.p50Millis());
        result.put("p99Millis", login.p99Millis());
        result.putAll(probe.finish(login.count()));
        return result;
    }

    /** One whole session: connect, greeting, LOGIN, LOGOUT; false when any step fails. */
    private static boolean login(Options o, Target target, int user) {
        try (var c = ImapConnection.open(target)) {
            var number = Integer.toString(user);
            var answer = c.login(o.string("user", "bench%d").replace("%d", number),
                    o.string("password", "bench").replace("%d", number));
            c.command("LOGOUT");
            return answer.ok();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void print(PrintStream out, Map<String, Object> r) {
        out.printf(java.util.Locale.ROOT, "== logins %s [%s] %d users, %d clients: %.1f logins/s  p50 %.2f ms  p99 %.2f ms"
                        + "  errors %s%s%n", r.get("pass"), r.get("label"), r.get("users"), r.get("clients"),
                (Double) r.get("loginsPerSecond"), (Double) r.get("p50Millis"), (Double) r.get("p99Millis"),
                r.get("errors"), r.containsKey("serverCpuMsPerOp") ? String.format(java.util.Locale.ROOT,
                        "  server %.3f ms CPU/login", (Double) r.get("serverCpuMsPerOp")) : "");
    }
}
