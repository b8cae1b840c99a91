package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code idle}: N authenticated connections of one user sit in IDLE on INBOX; the server's memory
 * is sampled before and after, then one APPEND from another connection must reach every idler
 * as an untagged EXISTS, and the time until the last one has it is measured.
 */
public final class IdleScenario {
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS$", Pattern.CASE_INSENSITIVE);

    private IdleScenario() {
    }

    public static List<Map<String, Object>> run(Options o, PrintStream out) throws InterruptedException, IOException {
        var results = new ArrayList<Map<String, Object>>();
        for (int n : o.integers("connections", "1000,10000")) {
            results.add(runOnce(o, n, out));
        }
        return results;
    }

    static final class Idler {
        final ImapConnection connection;
        final ConsistencyChecker checker = new ConsistencyChecker(false);
        final List<String> seen = new ArrayList<>();
        String tag;
        long exists;

        Idler(ImapConnection connection) {
            this.connection = connection;
        }
    }

    static Map<String, Object> runOnce(Options o, int n, PrintStream out) throws InterruptedException, IOException {
        boolean tls = o.flag("tls");
        var target = o.target(tls);
        String user = o.string("idle-user", o.user(1));
        String password = o.string("password", "bench");
        var probe = new ServerProbe(o);
        long heapBefore = probe.heapKb(); // a full GC first, so that RSS is compared after GC both times
        var baseline = probe.snapshot();
        var idlers = new ConcurrentLinkedQueue<Idler>();
        var failures = new AtomicInteger();
        var opening = new Semaphore(o.integer("ramp-concurrency", 64));
        long rampStart = System.nanoTime();
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < n; i++) {
            opening.acquire();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    idlers.add(enterIdle(target, user, password));
                } catch (IOException | RuntimeException e) {
                    failures.incrementAndGet();
                } finally {
                    opening.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
        Thread.sleep(1000);
        var beforeCollection = probe.snapshot(); // as an operator sees it: no full GC forced
        long heapAfter = probe.heapKb();
        var loaded = probe.snapshot();
        int idle = idlers.size();
        Thread.sleep(o.integer("hold-ms", 0)); // time to look inside the server (jcmd, smaps) with every idler there

        var arrivals = new long[idle];
        var arrived = new CountDownLatch(idle);
        var waiters = new ArrayList<Thread>();
        var ordinal = new AtomicInteger();
        var sent = new long[1];
        for (Idler idler : idlers) {
            int slot = ordinal.getAndIncrement();
            waiters.add(Thread.ofVirtual().start(() -> awaitNews(idler, slot, arrivals, arrived)));
        }
        try (var sender = ImapConnection.open(target)) {
            var login = sender.login(user, password);
            if (!login.ok()) {
                throw new IOException("LOGIN refused for the sender: " + login.tagged());
            }
            sent[0] = System.nanoTime();
            var appended = sender.append("INBOX", "", Messages.message(new java.util.SplittableRandom(n), 2000), false);
            if (!appended.ok()) {
                throw new IOException("APPEND refused: " + appended.tagged());
            }
            sender.command("LOGOUT");
        }
        boolean all = arrived.await(o.integer("notify-timeout-s", 60), TimeUnit.SECONDS);
        int reached = idle - (int) arrived.getCount();
        long[] delays = Arrays.stream(arrivals).filter(t -> t != 0).map(t -> t - sent[0]).sorted().toArray();
        int violations = 0;
        var samples = new ArrayList<String>();
        for (Thread t : waiters) {
            t.interrupt(); // closes the socket of an idler still waiting: it is counted as lost below
            t.join();
        }
        for (Idler idler : idlers) {
            violations += finish(idler, samples);
        }
        if (!all) {
            violations += idle - reached;
            samples.add("lost notification: " + (idle - reached) + " of " + idle + " idlers never saw the new message");
        }

        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "idle");
        result.put("label", o.string("label", "server"));
        result.put("connections", n);
        result.put("tls", tls);
        result.put("idling", idle);
        result.put("failedToConnect", failures.get());
        result.put("rampSeconds", rampSeconds);
        result.put("notified", reached);
        result.put("notifyAllMillis", delays.length == 0 ? -1.0 : delays[delays.length - 1] / 1e6);
        result.put("notifyP50Millis", OpStats.percentile(delays, 0.5));
        result.put("notifyP99Millis", OpStats.percentile(delays, 0.99));
        if (probe.active()) {
            result.put("serverRssKbBefore", baseline.rssKb());
            result.put("serverRssKbIdle", loaded.rssKb());
            result.put("serverPssKbBefore", baseline.pssKb());
            result.put("serverPssKbIdle", loaded.pssKb());
            result.put("serverProcesses", loaded.processes());
            result.put("rssKbPerConnection", idle == 0 ? 0.0 : (loaded.rssKb() - baseline.rssKb()) / (double) idle);
            result.put("pssKbPerConnection", idle == 0 ? 0.0 : (loaded.pssKb() - baseline.pssKb()) / (double) idle);
            result.put("pssKbPerConnectionBeforeGc",
                    idle == 0 ? 0.0 : (beforeCollection.pssKb() - baseline.pssKb()) / (double) idle);
            if (heapBefore >= 0 && heapAfter >= 0) {
                result.put("heapKbBefore", heapBefore);
                result.put("heapKbIdle", heapAfter);
                result.put("heapKbPerConnection", idle == 0 ? 0.0 : (heapAfter - heapBefore) / (double) idle);
            }
        }
        result.put("violations", violations);
        result.put("violationSamples", samples.subList(0, Math.min(20, samples.size())));
        print(out, result);
        return result;
    }

    static Idler enterIdle(Target target, String user, String password) throws IOException {
        var connection = ImapConnection.open(target, 2048);
        var idler = new Idler(connection);
        try {
            var login = connection.login(user, password);
            if (!login.ok()) {
                throw new IOException("LOGIN refused: " + login.tagged());
            }
            var select = connection.command("SELECT INBOX");
            idler.checker.observe(select);
            idler.exists = idler.checker.knownUids().size();
            idler.tag = connection.startIdle(idler.seen);
            return idler;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void awaitNews(Idler idler, int slot, long[] arrivals, CountDownLatch arrived) {
        try {
            while (true) {
                String line = idler.connection.readLine();
                idler.seen.add(line);
                var m = EXISTS.matcher(line);
                if (m.matches() && Long.parseLong(m.group(1)) > idler.exists) {
                    arrivals[slot] = System.nanoTime();
                    arrived.countDown();
                    return;
                }
            }
        } catch (IOException e) {
            // counted as a lost notification by the caller
        }
    }

    private static int finish(Idler idler, List<String> samples) {
        try (var c = idler.connection) {
            var done = c.finishIdle(idler.tag, idler.seen);
            idler.checker.observe(done);
            c.command("LOGOUT");
        } catch (IOException e) {
            // the run is over; the connection state no longer matters
        }
        for (String v : idler.checker.violations()) {
            if (samples.size() < 20) {
                samples.add(v);
            }
        }
        return idler.checker.violationCount();
    }

    private static void print(PrintStream out, Map<String, Object> r) {
        out.printf(Locale.ROOT, "== idle %s %s connections [%s]: %s idling, %s failed, ramp %.1f s%n", r.get("connections"),
                Boolean.TRUE.equals(r.get("tls")) ? "TLS" : "plain", r.get("label"), r.get("idling"), r.get("failedToConnect"), (Double) r.get("rampSeconds"));
        out.printf(Locale.ROOT, "APPEND reached %s idlers: p50 %.1f ms, p99 %.1f ms, all %.1f ms%n", r.get("notified"),
                (Double) r.get("notifyP50Millis"), (Double) r.get("notifyP99Millis"), (Double) r.get("notifyAllMillis"));
        if (r.containsKey("rssKbPerConnection")) {
            out.printf(Locale.ROOT, "server: RSS %s -> %s kB (%.1f kB/conn), PSS %s -> %s kB (%.1f kB/conn), %s processes%n",
                    r.get("serverRssKbBefore"), r.get("serverRssKbIdle"), (Double) r.get("rssKbPerConnection"),
                    r.get("serverPssKbBefore"), r.get("serverPssKbIdle"), (Double) r.get("pssKbPerConnection"),
                    r.get("serverProcesses"));
            out.printf(Locale.ROOT, "server PSS before the full GC of the heap probe: %.1f kB/conn%n",
                    (Double) r.get("pssKbPerConnectionBeforeGc"));
        }
        if (r.containsKey("heapKbPerConnection")) {
            out.printf(Locale.ROOT, "heap after full GC: %s -> %s kB (%.1f kB/conn)%n", r.get("heapKbBefore"),
                    r.get("heapKbIdle"), (Double) r.get("heapKbPerConnection"));
        }
        out.printf(Locale.ROOT, "consistency violations: %s%n", r.get("violations"));
    }
}
