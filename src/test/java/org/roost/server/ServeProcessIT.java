package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.auth.password.Passwords;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * {@code bin/roost serve} as a real process (needs {@code target/roost.jar}, hence a failsafe IT):
 * config errors exit 2 with the key path and no stack trace; a served process answers IMAPS,
 * STARTTLS and /metrics, and on SIGTERM says BYE to its clients and exits 0 after the drain.
 * Process timeouts here only guard against hangs; nothing measures time.
 */
class ServeProcessIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final long GUARD_SECONDS = 90;

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private Process roost(String... args) throws IOException {
        return roost(Map.of(), args);
    }

    private Process roost(Map<String, String> env, String... args) throws IOException {
        var command = new java.util.ArrayList<String>();
        command.add(PROJECT.resolve("bin/roost").toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("ROOST_"));
        builder.environment().putAll(env);
        process = builder.start();
        return process;
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr.txt"));
    }

    private String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout.txt"));
    }

    private int exitCode(Process p) throws InterruptedException {
        assertTrue(p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS), "roost did not exit");
        return p.exitValue();
    }

    private Path file(String name, String text) throws IOException {
        var path = dir.resolve(name);
        Files.writeString(path, text);
        return path;
    }

    private void assertNoStackTrace(String text) {
        assertFalse(text.contains("Exception"), text);
        assertFalse(text.contains("\tat ") || text.contains("    at "), text);
    }

    @Test
    void unknownKeyExitsTwoNamingItsPath() throws Exception {
        var config = file("bad.yaml", "listeners:\n  imap:\n    prot: 143\n");
        var p = roost("serve", "--config", config.toString());
        assertEquals(2, exitCode(p));
        var err = stderr();
        assertTrue(err.contains("roost: configuration error:"), err);
        assertTrue(err.contains("listeners.imap.prot: unknown key"), err);
        assertNoStackTrace(err + stdout());
    }

    @Test
    void everyBadValueIsReportedAndNothingStarts() throws Exception {
        var config = file("bad.yaml", """
                data: %s
                listeners:
                  imaps: {port: 70000}
                  imap: {path: /tmp/imap.sock}
                limits: {idleTimeout: 5m}
                """.formatted(dir.resolve("data")));
        var p = roost("serve", "--config", config.toString());
        assertEquals(2, exitCode(p));
        var err = stderr();
        assertTrue(err.contains("listeners.imaps.port: must be between 0 and 65535, was 70000"), err);
        assertTrue(err.contains("listeners.imap.path: only [lmtp] can listen on a UNIX socket"), err);
        assertTrue(err.contains("limits.idleTimeout: must be at least 30m"), err);
        assertNoStackTrace(err + stdout());
        assertFalse(Files.exists(dir.resolve("data")), "a rejected config provisions nothing");
    }

    /**
     * The launcher's JVM defaults are the measured ones (BENCHMARKS.md, "Memory as the operator sees
     * it"): the serial collector with a 32 MB young generation. ROOST_JAVA_OPTS comes last, and a
     * collector named there replaces the serial one rather than clash with it.
     */
    @Test
    void theLauncherAppliesTheMeasuredJvmDefaultsAndJavaOptsWin() throws Exception {
        assertEquals(0, exitCode(roost(Map.of("ROOST_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "help")));
        var flags = List.of(stdout().lines().findFirst().orElse("").split(" "));
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags.toString());
        assertTrue(flags.contains("-XX:NewSize=33554432"), flags.toString());

        var g1 = roost(Map.of("ROOST_JAVA_OPTS", "-XX:+UseG1GC -XX:+PrintCommandLineFlags -Xmn64m"), "help");
        assertEquals(0, exitCode(g1), stderr());
        flags = List.of(stdout().lines().findFirst().orElse("").split(" "));
        assertTrue(flags.contains("-XX:+UseG1GC"), flags.toString());
        assertFalse(flags.contains("-XX:+UseSerialGC"), flags.toString());
        assertTrue(flags.contains("-XX:NewSize=67108864"), flags.toString());
    }

    @Test
    void missingConfigFileAndBadArgumentsExitTwo() throws Exception {
        assertEquals(2, exitCode(roost("serve", "--config", dir.resolve("missing.yaml").toString())));
        assertTrue(stderr().contains("not found"), stderr());
        assertEquals(2, exitCode(roost("serve", "--frobnicate")));
        assertEquals(2, exitCode(roost("bogus")));
        assertNoStackTrace(stderr());
    }

    /** A config with every listener on a free port, admin on, plaintext login refused. */
    private Path servingConfig() throws IOException {
        var passwd = file("passwd", TestServer.ALICE + ":"
                + Passwords.hash("SHA512-CRYPT", TestServer.ALICE_PASSWORD.getBytes(StandardCharsets.UTF_8)) + "::::::\n");
        return file("roost.yaml", """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: 0}
                  imaps: {address: 127.0.0.1, port: 0}
                  pop3: {address: 127.0.0.1, port: 0}
                  pop3s: {address: 127.0.0.1, port: 0}
                admin: {address: 127.0.0.1, port: 0, token: it-token}
                auth:
                  passwdFile: %s
                  secureNetworks: []
                limits: {shutdownDrain: 2s}
                """.formatted(dir.resolve("data"), passwd));
    }

    /**
     * JDK 25+: the first run says in one line that it warms up and records the ahead-of-time
     * cache, and shows nothing of the JVM's own (bin/roost assembles the cache after it exited);
     * the second maps the cache.
     */
    @Test
    void secondStartMapsTheAheadOfTimeCacheTheFirstRecorded() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        var config = servingConfig();
        var cache = dir.resolve("roost.aot");
        var env = Map.of("ROOST_AOT_CACHE", cache.toString());
        var first = roost(env, "serve", "--config", config.toString());
        awaitStarted(first);
        first.destroy(); // SIGTERM
        assertEquals(0, exitCode(first));
        awaitFile(cache);
        assertFalse(Files.exists(dir.resolve("roost.aot.config")), "the recording is gone once assembled");
        var console = stdout() + stderr();
        var lines = stdout().lines().toList();
        assertEquals("roost: warming up and recording a start-up cache, so that later starts are faster"
                + " (ROOST_AOT=off turns this off)", lines.getFirst());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("roost: ")), stdout());
        for (var noise : List.of("AOTConfiguration", "AOTCache", "Picked up", "JAVA_TOOL_OPTIONS", "roost-warm-up",
                "Helidon")) {
            assertFalse(console.contains(noise), noise + " on the console:\n" + console);
        }

        var second = roost(env, "serve", "--config", config.toString());
        var log = awaitStarted(second); // bin/roost has become the JVM
        var arguments = List.of(second.info().arguments().orElseThrow());
        assertTrue(arguments.contains("-XX:AOTCache=" + cache), arguments.toString());
        try (var client = RawImapClient.connect("127.0.0.1", port(log, "imap listening on /127.0.0.1:(\\d+)"))) {
            assertTrue(client.greeting().startsWith("* OK "));
        }
        second.destroy();
        assertEquals(0, exitCode(second));
        assertEquals("", stdout(), "a start with the cache says nothing of it");
        assertNoStackTrace(stderr() + stdout());

        // The JVM would refuse, without a word, a cache made with another collector.
        var third = roost(Map.of("ROOST_AOT_CACHE", cache.toString(), "ROOST_JAVA_OPTS", "-XX:+UseG1GC"),
                "serve", "--config", config.toString());
        awaitStarted(third);
        var thirdArguments = List.of(third.info().arguments().orElseThrow());
        assertTrue(thirdArguments.contains("-XX:AOTMode=record"), "other JVM options record anew: " + thirdArguments);
        third.destroy();
        assertEquals(0, exitCode(third));
        awaitFile(cache);
    }

    /** A run that fails to start leaves no recording to be used: it is dropped, and the next run records again. */
    @Test
    void aFailedStartNeverTrainsTheAheadOfTimeCache() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() >= 25, "the AOT cache needs JDK 25");
        var cache = dir.resolve("roost.aot");
        var env = Map.of("ROOST_AOT_CACHE", cache.toString());
        var bad = roost(env, "serve", "--config", file("bad.yaml", "listeners: {imap: {prot: 1}}\n").toString());
        assertEquals(2, exitCode(bad));
        assertFalse(Files.exists(dir.resolve("roost.aot.trained")));
        awaitGone(dir.resolve("roost.aot.config"));
        assertFalse(Files.exists(cache));
        var next = roost(env, "serve", "--config", servingConfig().toString());
        awaitStarted(next);
        var arguments = List.of(next.info().arguments().orElseThrow());
        assertTrue(arguments.contains("-XX:AOTMode=record"), arguments.toString());
        next.destroy();
        assertEquals(0, exitCode(next));
        awaitFile(cache);
    }

    /** Waits for a file that a detached process writes (the AOT cache); the guard only catches a hang. */
    private static void awaitFile(Path file) throws InterruptedException {
        for (int i = 0; i < GUARD_SECONDS * 10 && !Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), file + " never appeared");
    }

    private static void awaitGone(Path file) throws InterruptedException {
        for (int i = 0; i < GUARD_SECONDS * 10 && Files.exists(file); i++) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(file), file + " is still there");
    }

    @Test
    void servesThenDrainsOnSigterm() throws Exception {
        var config = servingConfig();
        var p = roost("serve", "--config", config.toString());
        var log = awaitStarted(p);
        int imap = port(log, "imap listening on /127.0.0.1:(\\d+)");
        int imaps = port(log, "imaps listening on /127.0.0.1:(\\d+)");
        int admin = port(log, "admin HTTP listening on 127.0.0.1:(\\d+)");

        try (var plain = RawImapClient.connect("127.0.0.1", imap)) {
            assertTrue(plain.greeting().contains("LOGINDISABLED"));
            assertTrue(plain.tagged("a", "LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"").startsWith("a NO [PRIVACYREQUIRED]"));
            plain.tagged("b", "STARTTLS");
            plain.startTls();
            assertTrue(plain.tagged("c", "LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"").startsWith("c OK "));
        }
        assertEquals(0, python(imaps), "python imaplib.IMAP4_SSL logs in");
        try (var http = HttpClient.newHttpClient()) {
            var metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("roost_connections_total"));
        }

        try (var idle = RawImapClient.connectTls("127.0.0.1", imaps); var busy = RawImapClient.connectTls("127.0.0.1", imaps)) {
            idle.greeting();
            assertTrue(idle.tagged("a", "LOGIN alice \"" + TestServer.ALICE_PASSWORD + "\"").startsWith("a OK "));
            busy.greeting();
            busy.send("a AUTHENTICATE PLAIN");
            assertEquals("+ ", busy.readLine());

            p.destroy(); // SIGTERM
            assertEquals("* BYE Server shutting down.", idle.readLine());
            idle.assertClosedByServer();
            busy.assertClosedByServer(); // mid-exchange: closed when the drain time is over
            assertEquals(0, exitCode(p));
        }
        assertTrue(stderr().contains("shutdown complete"), stderr());
        assertNoStackTrace(stderr());
    }

    /**
     * An orchestrator may stop a pod the moment it starts: a SIGTERM as soon as the server says anything is a
     * graceful stop (status 0), never the JVM's default exit 143 (the handler was once installed only after every
     * listener had started).
     */
    @Test
    void aSigtermAtTheFirstLogLineStillDrains() throws Exception {
        var p = roost(Map.of("ROOST_AOT", "off"), "serve", "--config", servingConfig().toString());
        for (int i = 0; i < GUARD_SECONDS * 200 && stderr().isEmpty(); i++) {
            assertTrue(p.isAlive(), "roost exited early:\n" + stdout());
            Thread.sleep(5);
        }
        p.destroy(); // SIGTERM
        assertEquals(0, exitCode(p), stderr());
        assertTrue(stderr().contains("shutdown complete"), stderr());
    }

    private String awaitStarted(Process p) throws Exception {
        for (int i = 0; i < GUARD_SECONDS * 10; i++) {
            var log = stderr();
            // The admin server starts before the mail listeners: wait for the last of them too.
            if (log.contains("admin HTTP listening on") && log.contains("imaps listening on")) {
                return log;
            }
            assertTrue(p.isAlive(), "roost exited early:\n" + log + stdout());
            Thread.sleep(100);
        }
        throw new AssertionError("roost did not start:\n" + stderr());
    }

    private static int port(String log, String regex) {
        var m = Pattern.compile(regex).matcher(log);
        assertTrue(m.find(), "no <" + regex + "> in\n" + log);
        return Integer.parseInt(m.group(1));
    }

    private int python(int port) throws Exception {
        var script = Path.of(getClass().getResource("/imaplib_login.py").toURI());
        var p = new ProcessBuilder("python3", script.toString(), "imaps", "127.0.0.1", Integer.toString(port),
                TestServer.ALICE, TestServer.ALICE_PASSWORD).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(GUARD_SECONDS, TimeUnit.SECONDS));
        assertTrue(out.contains("LOGIN OK"), out);
        return p.exitValue();
    }
}
