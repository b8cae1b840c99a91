package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;

/**
 * Entry point of the Roost load generator: {@code LoadGenerator SCENARIO [--option value]...}.
 * Scenarios: {@code mixed}, {@code idle}, {@code throughput}, {@code startup},
 * {@code large-mailbox}, {@code logins}, {@code resync}, and {@code populate} (writes the Maildirs both servers are given).
 * Results are printed as tables and, with {@code --out FILE}, written as JSON.
 * See BENCHMARKS.md for the options and the commands behind every published figure.
 */
public final class LoadGenerator {
    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println(usage());
            return;
        }
        Object result = run(args[0], new Options(args, 1), System.out);
        if (result == null) {
            System.exit(2);
        }
    }

    /** Runs one scenario; returns its JSON-ready result (also written to {@code --out}), null if unknown. */
    public static Object run(String scenario, Options o, PrintStream out) throws IOException, InterruptedException {
        Object result = switch (scenario) {
            case "mixed" -> MixedScenario.run(o, out);
            case "idle" -> IdleScenario.run(o, out);
            case "throughput" -> ThroughputScenario.run(o, out);
            case "startup" -> StartupScenario.run(o, out);
            case "large-mailbox" -> LargeMailboxScenario.run(o, out);
            case "logins" -> LoginScenario.run(o, out);
            case "resync" -> ResyncScenario.run(o, out);
            case "populate" -> {
                Populate.run(o, out);
                yield "populated";
            }
            default -> {
                out.println("unknown scenario '" + scenario + "'\n" + usage());
                yield null;
            }
        };
        if (result != null && o.has("out")) {
            var doc = new LinkedHashMap<String, Object>();
            doc.put("scenario", scenario);
            doc.put("time", Instant.now().toString());
            doc.put("cores", Runtime.getRuntime().availableProcessors());
            doc.put("jdk", System.getProperty("java.version"));
            doc.put("results", result);
            Path file = Path.of(o.string("out", "result.json"));
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, Json.write(doc));
        }
        return result;
    }

    static String usage() {
        return """
                usage: LoadGenerator SCENARIO [--option value]...
                  mixed          --clients 10,50,200 --duration 20s [--mix fetchNew=20,noop=12,...] [--idle-ms 200] [--tls]
                  idle           --connections 1000,10000 [--idle-user NAME] [--ramp-concurrency 64]
                  throughput     --clients 4 --append-small 200 --append-large 16 --duration 10s --transport plain,tls
                  startup        --command 'bin/roost serve --config F' --port P --runs 5
                  large-mailbox  --big-user big --runs 3
                  logins         --users 10000 --user user%d@example.org --password pw%d --clients 16 --passes cold,warm [--first 1]
                  resync         --duration 20s --reconnect-ms 2000 [--resync-user NAME] (QRESYNC reconnects, checked)
                  populate       --root DIR --users N --messages M [--big-user big --big-messages 100000]
                common: --host 127.0.0.1 --port 143 --tls-port 993 --user bench%d --users N --password bench
                        --seed 42 --label NAME --out FILE.json --server-pid PID [--server-jvm]""";
    }
}
