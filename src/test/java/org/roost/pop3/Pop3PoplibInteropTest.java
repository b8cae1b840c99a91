package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** Python's poplib against Roost: plain POP3 upgraded with STLS, and POP3S (runs python3 as a subprocess). */
class Pop3PoplibInteropTest {
    static final String MESSAGE = "Subject: py\r\nFrom: a@example.org\r\n\r\n.dot line\r\nsecond\r\n";

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Interop.hasCommand("python3"), "python3 is not installed; skipping the poplib interop test");
        server = Pop3Users.server(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
        server.deliver("alice", MESSAGE);
        server.deliver("alice", "Subject: two\r\n\r\nx\r\n");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<String> poplib(String mode, int port) throws Exception {
        var script = Path.of(getClass().getResource("/pop3/poplib_client.py").toURI());
        var process = new ProcessBuilder("python3", script.toString(), mode, Integer.toString(port),
                server.certificate().toString(), "alice", "secret").redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    private List<String> transaction() {
        long size = MESSAGE.length();
        long second = "Subject: two\r\n\r\nx\r\n".length();
        return List.of(
                "capa ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'SASL', 'TOP', 'UIDL', 'USER']",
                "pass +OK Logged in.",
                "stat (2, " + (size + second) + ")",
                "list ['1 " + size + "', '2 " + second + "']",
                "uidl-count 2",
                "retr ['Subject: py', 'From: a@example.org', '', '.dot line', 'second'] " + size,
                "top ['Subject: py', 'From: a@example.org', '']",
                "dele +OK Message 1 deleted.",
                "rset +OK Maildrop has 2 messages (" + (size + second) + " octets).",
                "dele +OK Message 2 deleted.",
                "quit +OK Logging out, 1 messages deleted.");
    }

    @Test
    void plainPop3WithStls() throws Exception {
        var lines = poplib("stls", server.pop3Port());
        assertEquals("capa-before ['AUTH-RESP-CODE', 'IMPLEMENTATION', 'PIPELINING', 'RESP-CODES', 'STLS', 'TOP', 'UIDL']",
                lines.get(0));
        assertEquals("user-before-tls -ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
                lines.get(1));
        assertEquals(transaction(), lines.subList(2, lines.size()));
        assertEquals(1, server.filesOnDisk("alice"));
    }

    @Test
    void pop3s() throws Exception {
        assertEquals(transaction(), poplib("pop3s", server.pop3sPort()));
        assertEquals(1, server.filesOnDisk("alice"));
    }
}
