package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RequiredTool;
import org.roost.testing.TestServer;

/**
 * Debian's sieve-connect against the listener over STARTTLS (loopback is no secure network here, so PLAIN needs
 * TLS): upload, list, activate, download, refuse to delete the active script, deactivate, delete; the files land in
 * Pigeonhole's layout ({@code ~/sieve/NAME.sieve}, {@code ~/.dovecot.sieve} a link to the active one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SieveConnectInteropTest {
    private static final String SCRIPT = """
            require ["fileinto", "envelope"];
            if header :contains "List-Id" "<dev.lists.example.org>" {
              fileinto "Lists/dev";
            }
            """;
    @TempDir
    Path dir;
    TestServer server;
    Path work;

    @BeforeEach
    void start() throws IOException {
        RequiredTool.require("sieve-connect", "sieve-connect");
        server = TestServer.start(dir.resolve("server"), Map.of("ROOST_LISTENERS_MANAGESIEVE_ENABLED", "true",
                "ROOST_AUTH_SECURENETWORKS", ""));
        work = Files.createDirectories(dir.resolve("work"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs sieve-connect as alice with {@code args}; returns its exit code and output. */
    private Result sieveConnect(String... args) throws Exception {
        var command = new ArrayList<>(List.of("sieve-connect", "--server", "127.0.0.1", "--port",
                Integer.toString(server.manageSievePort()), "--user", TestServer.ALICE, "--passwordfd", "0",
                "--notlsverify", "--noclearauth"));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write((TestServer.ALICE_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "sieve-connect did not finish");
        return new Result(process.exitValue(), output);
    }

    private record Result(int exit, String output) {}

    @Test
    void uploadsListsActivatesDownloadsAndDeletes() throws Exception {
        Files.writeString(work.resolve("lists.sieve"), SCRIPT);
        var upload = sieveConnect("--localsieve", "lists.sieve", "--remotesieve", "lists", "--upload");
        assertEquals(0, upload.exit(), upload.output());
        assertEquals("\"lists\"\n", sieveConnect("--list").output());

        assertEquals(0, sieveConnect("--remotesieve", "lists", "--activate").exit());
        assertEquals("\"lists\" ACTIVE\n", sieveConnect("--list").output());
        var home = server.config().sieve().homes().resolve(TestServer.ALICE);
        assertEquals(Path.of("sieve/lists.sieve"), Files.readSymbolicLink(home.resolve(".dovecot.sieve")));
        assertEquals(SCRIPT, Files.readString(home.resolve("sieve/lists.sieve")));

        var download = sieveConnect("--remotesieve", "lists", "--localsieve", "copy.sieve", "--download");
        assertEquals(0, download.exit(), download.output());
        assertEquals(SCRIPT, Files.readString(work.resolve("copy.sieve")));

        var refused = sieveConnect("--remotesieve", "lists", "--delete");
        assertEquals(1, refused.exit());
        assertTrue(refused.output().contains("NO (ACTIVE)"), refused.output());

        assertEquals(0, sieveConnect("--deactivate").exit());
        assertFalse(Files.exists(home.resolve(".dovecot.sieve"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(0, sieveConnect("--remotesieve", "lists", "--delete").exit());
        assertEquals("", sieveConnect("--list").output());
        assertFalse(Files.exists(home.resolve("sieve/lists.sieve")));
    }

    @Test
    void anInvalidScriptIsRefusedWithItsLine() throws Exception {
        Files.writeString(work.resolve("bad.sieve"), "keep;\nfileinto \"Junk\";\n");
        var check = sieveConnect("--localsieve", "bad.sieve", "--checkscript");
        assertEquals(1, check.exit());
        assertTrue(check.output().contains("NO \"line 2: "), check.output());
        var upload = sieveConnect("--localsieve", "bad.sieve", "--remotesieve", "bad", "--upload");
        assertEquals(1, upload.exit());
        assertEquals("", sieveConnect("--list").output());
    }
}
