package org.roost.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mixed}: N concurrent mail clients for a fixed time, for each N of {@code --clients}. */
public final class MixedScenario {
    private MixedScenario() {
    }

    public static List<Map<String, Object>> run(Options o, PrintStream out) throws InterruptedException {
        var results = new ArrayList<Map<String, Object>>();
        for (int clients : o.integers("clients", "10,50,200")) {
            results.add(runOnce(o, clients, out));
        }
        return results;
    }

    static Map<String, Object> runOnce(Options o, int clients, PrintStream out) throws InterruptedException {
        Duration duration = o.duration("duration", Duration.ofSeconds(20));
        var mix = Mix.parse(o.string("mix", ""));
        var settings = new MailClient.Settings(o.integer("idle-ms", 200), !o.flag("no-literal-plus"),
                o.string("archive", "Archive"), o.integer("messages", 200));
        int users = o.integer("users", clients);
        boolean exclusive = users >= clients;
        long seed = o.longValue("seed", 42);
        var target = o.target(o.flag("tls"));
        var probe = new ServerProbe(o);
        probe.start();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        var mailClients = new ArrayList<MailClient>();
        var threads = new ArrayList<Thread>();
        for (int i = 1; i <= clients; i++) {
            var client = new MailClient(target, o.user(i), o.string("password", "bench"), mix, seed * 1000 + i,
                    settings, deadline, exclusive);
            mailClients.add(client);
            threads.add(Thread.ofVirtual().name("client-" + i).start(client));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        var stats = new OpStats();
        var violations = new ArrayList<String>();
        int violationCount = 0;
        for (var c : mailClients) {
            stats.mergeFrom(c.stats());
            violationCount += c.checker().violationCount();
            for (String v : c.checker().violations()) {
                if (violations.size() < 50) {
                    violations.add(o.user(mailClients.indexOf(c) + 1) + " " + v);
                }
            }
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "mixed");
        result.put("label", o.string("label", "server"));
        result.put("clients", clients);
        result.put("tls", target.tls());
        result.put("seconds", seconds);
        var overall = stats.overall(seconds);
        result.put("operations", overall.count());
        result.put("errors", overall.errors());
        result.put("opsPerSecond", overall.perSecond());
        result.put("p50Millis", overall.p50Millis());
        result.put("p99Millis", overall.p99Millis());
        result.putAll(probe.finish(overall.count()));
        result.put("violations", violationCount);
        result.put("violationSamples", violations);
        result.put("perCommand", stats.summarize(seconds));
        Report.printOps(out, "mixed " + clients + " clients" + (target.tls() ? " TLS" : ""), result, stats.summarize(seconds));
        return result;
    }
}
