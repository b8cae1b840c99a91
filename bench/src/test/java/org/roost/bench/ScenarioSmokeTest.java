package org.roost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;
import org.roost.server.RoostServer;

/**
 * Every load-generator scenario, at a tiny size, against an in-process Roost over a populated
 * Maildir: the consistency checker must find nothing and every operation must succeed.
 * Correctness only: no timing is asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSmokeTest {
    Path dir;
    RoostServer server;
    Path config;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        var passwd = new StringBuilder();
        for (String user : List.of("bench1", "bench2", "big")) {
            passwd.append(user).append(":{PLAIN}bench::::::\n");
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        LoadGenerator.run("populate", Options.of("--root", dir.resolve("mail").toString(), "--users", "2",
                "--messages", "20", "--big-user", "big", "--big-messages", "300"), quiet());
        config = writeConfig(0);
        server = new RoostServer(new ConfigLoader().load(config, Map.of()));
        server.start(new PrintStream(new ByteArrayOutputStream()));
    }

    private Path writeConfig(int port) throws IOException {
        var file = dir.resolve(port == 0 ? "roost.yaml" : "roost-" + port + ".yaml");
        Files.writeString(file, """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: %d}
                  imaps: {address: 127.0.0.1, port: 0}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                mail: {location: "maildir:%s/%%u", fsync: false}
                limits: {maxConnectionsPerIp: 1000}
                """.formatted(dir.resolve("data"), port, dir.resolve("passwd"), dir.resolve("mail")));
        return file;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.shutdown();
        }
    }

    private PrintStream quiet() {
        return new PrintStream(console, true, StandardCharsets.UTF_8);
    }

    private Options options(String... extra) {
        var args = new java.util.ArrayList<>(List.of("--port", Integer.toString(server.port("imap")),
                "--tls-port", Integer.toString(server.port("imaps")), "--users", "2", "--password", "bench",
                "--timeout-ms", "20000"));
        args.addAll(List.of(extra));
        return Options.of(args.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> only(Object result) {
        return ((List<Map<String, Object>>) result).get(0);
    }

    @Test
    void mixedRunsEveryOperationWithoutViolations() throws Exception {
        var r = only(LoadGenerator.run("mixed", options("--clients", "2", "--duration", "2s", "--idle-ms", "20",
                "--messages", "20"), quiet()));
        assertEquals(0, r.get("violations"), () -> "violations: " + r.get("violationSamples") + "\n" + console);
        assertEquals(0L, r.get("errors"), () -> "errors:\n" + console);
        assertTrue((Long) r.get("operations") > 20, () -> "too few operations:\n" + console);
    }

    @Test
    void resyncReconnectsRebuildWhatAFullFetchShows() throws Exception {
        var r = LoadGenerator.run("resync", options("--duration", "3s", "--reconnect-ms", "100",
                "--resync-user", "bench2"), quiet());
        @SuppressWarnings("unchecked")
        var result = (Map<String, Object>) r;
        assertEquals(0, result.get("violations"), () -> "violations: " + result.get("violationSamples") + "\n" + console);
        assertEquals(0L, result.get("errors"), () -> console.toString());
        assertTrue((Integer) result.get("reconnects") > 5, () -> console.toString());
        assertTrue((Long) result.get("changeBursts") > 5, () -> console.toString());
    }

    @Test
    void idleConnectionsAllSeeOneAppend() throws Exception {
        var r = only(LoadGenerator.run("idle", options("--connections", "5", "--idle-user", "bench2"), quiet()));
        assertEquals(5, r.get("idling"), () -> console.toString());
        assertEquals(5, r.get("notified"), () -> console.toString());
        assertEquals(0, r.get("violations"), () -> "violations: " + r.get("violationSamples"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void throughputAppendsAndFetchesOverPlainAndTls() throws Exception {
        var results = (List<Map<String, Object>>) LoadGenerator.run("throughput", options("--clients", "1",
                "--user", "bench1", "--append-small", "3", "--append-large", "1", "--duration", "300ms"), quiet());
        assertEquals(2, results.size());
        for (var r : results) {
            for (String phase : List.of("append10k", "append1m", "fetchBody")) {
                var p = (Map<String, Object>) r.get(phase);
                assertEquals(0L, p.get("errors"), () -> phase + " failed (tls=" + r.get("tls") + "):\n" + console);
                assertTrue((Long) p.get("count") > 0, () -> phase + " did nothing:\n" + console);
            }
        }
    }

    @Test
    void largeMailboxAnswersEveryRequest() throws Exception {
        @SuppressWarnings("unchecked")
        var r = (Map<String, Object>) LoadGenerator.run("large-mailbox", options("--big-user", "big", "--runs", "1"), quiet());
        assertEquals(300L, r.get("messages"));
        assertTrue((Long) r.get("uidFlagsResponseBytes") > 300 * 20);
    }

    @Test
    void everyUserLogsInOncePerPass() throws Exception {
        @SuppressWarnings("unchecked")
        var passes = (List<Map<String, Object>>) LoadGenerator.run("logins", options("--clients", "3",
                "--passes", "cold,warm"), quiet());
        assertEquals(List.of("cold", "warm"), passes.stream().map(p -> p.get("pass")).toList());
        for (var pass : passes) {
            assertEquals(2L, pass.get("logins"), pass.toString());
            assertEquals(0L, pass.get("errors"), pass.toString());
        }
    }

    @Test
    void startupSeesTheFirstGreeting() throws Exception {
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var data = dir.resolve("startup-data");
        var file = writeConfig(port);
        Files.writeString(file, Files.readString(file).replace(dir.resolve("data").toString(), data.toString()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' org.roost.server.Main serve --config '" + file + "'";
        @SuppressWarnings("unchecked")
        var r = (Map<String, Object>) LoadGenerator.run("startup", Options.of("--command", command, "--port",
                Integer.toString(port), "--runs", "1"), quiet());
        assertEquals(0, r.get("failures"), () -> console.toString());
        assertTrue((Double) r.get("medianMillis") > 0);
    }

    @Test
    void resultsAreWrittenAsJson() throws Exception {
        var out = dir.resolve("out/mixed.json");
        LoadGenerator.run("mixed", options("--clients", "1", "--duration", "300ms", "--out", out.toString()), quiet());
        String json = Files.readString(out);
        assertTrue(json.contains("\"opsPerSecond\""), json);
        assertTrue(json.contains("\"perCommand\""), json);
    }
}
