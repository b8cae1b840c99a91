package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code startup}: starts the server command ({@code --command}, run by {@code sh -c}) and
 * measures the time until a connection to {@code --port} is accepted and greeted; then stops it
 * with SIGTERM (its whole process tree) and repeats {@code --runs} times.
 */
public final class StartupScenario {
    private StartupScenario() {
    }

    public static Map<String, Object> run(Options o, PrintStream out) throws IOException, InterruptedException {
        String command = o.string("command", null);
        if (command == null) {
            throw new IllegalArgumentException("startup needs --command 'how to start the server' and --port");
        }
        int port = o.integer("port", 143);
        int runs = o.integer("runs", 5);
        long limitMillis = o.longValue("start-timeout-ms", 60_000);
        var millis = new ArrayList<Double>();
        int failures = 0;
        for (int i = 0; i < runs; i++) {
            awaitPortFree(port, limitMillis);
            long start = System.nanoTime();
            var process = new ProcessBuilder("sh", "-c", "exec " + command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                if (awaitGreeting(port, start, limitMillis, process)) {
                    millis.add((System.nanoTime() - start) / 1e6);
                } else {
                    failures++;
                }
            } finally {
                stop(process);
            }
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "startup");
        result.put("label", o.string("label", "server"));
        result.put("runs", runs);
        result.put("failures", failures);
        result.put("millis", millis);
        result.put("medianMillis", sorted.length == 0 ? -1.0 : sorted[sorted.length / 2]);
        result.put("minMillis", sorted.length == 0 ? -1.0 : sorted[0]);
        out.printf(java.util.Locale.ROOT, "== startup [%s]: median %.0f ms, min %.0f ms over %d runs (%d failed): %s%n",
                result.get("label"), (Double) result.get("medianMillis"), (Double) result.get("minMillis"), runs, failures,
                Arrays.toString(sorted));
        return result;
    }

    private static boolean awaitGreeting(int port, long start, long limitMillis, Process process) throws InterruptedException {
        while ((System.nanoTime() - start) / 1_000_000 < limitMillis) {
            if (!process.isAlive()) {
                return false;
            }
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                socket.setSoTimeout(10_000);
                int b = socket.getInputStream().read();
                if (b == '*') {
                    return true;
                }
            } catch (IOException e) {
                Thread.sleep(2);
            }
        }
        return false;
    }

    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            process.waitFor();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    private static void awaitPortFree(int port, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < limitMillis) {
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            } catch (IOException e) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
