package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.testing.ImapCapabilities.AFTER_LOGIN;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * Python 3's imaplib, an independent client implementation, against Roost over IMAPS and over
 * STARTTLS, with loopback outside {@code auth.secureNetworks} so TLS is really required.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PythonImaplibTest {
    TestServer server;
    Path script;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException, URISyntaxException {
        server = TestServer.start(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
        script = Path.of(getClass().getResource("/imaplib_login.py").toURI());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    record Run(int exitCode, List<String> lines) {
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + lines));
        }
    }

    /** Runs the script; a timeout only guards against a hang, it is not a measurement. */
    Run python(String mode, int port, String user, String password) throws IOException, InterruptedException {
        var process = new ProcessBuilder("python3", script.toString(), mode, "127.0.0.1", Integer.toString(port), user, password)
                .redirectErrorStream(true)
                .start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        return new Run(process.exitValue(), output.lines().toList());
    }

    @Test
    void loginOverImaps() throws Exception {
        var run = python("imaps", server.imapsPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD);
        assertEquals(0, run.exitCode(), run.lines().toString());
        assertEquals("GREETING * OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN] Roost ready.", run.line("GREETING"));
        assertEquals("CAPABILITY OK IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN", run.line("CAPABILITY"));
        assertEquals("LOGIN OK [CAPABILITY " + AFTER_LOGIN + "] Logged in", run.line("LOGIN"));
        assertEquals("NOOP OK", run.line("NOOP"));
        assertEquals("LOGOUT BYE Logging out.", run.line("LOGOUT"));
    }

    @Test
    void loginOverStarttls() throws Exception {
        var run = python("starttls", server.imapPort(), TestServer.BOB, TestServer.BOB_PASSWORD);
        assertEquals(0, run.exitCode(), run.lines().toString());
        assertEquals("STARTTLS OK", run.line("STARTTLS"));
        assertEquals("CAPABILITY OK IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN", run.line("CAPABILITY"),
                "capabilities re-read after TLS: no STARTTLS, no LOGINDISABLED");
        assertEquals("LOGIN OK [CAPABILITY " + AFTER_LOGIN + "] Logged in", run.line("LOGIN"));
        assertEquals("LOGOUT BYE Logging out.", run.line("LOGOUT"));
    }

    @Test
    void plaintextLoginIsRefusedOutsideSecureNetworks() throws Exception {
        var run = python("plain", server.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD);
        assertEquals(3, run.exitCode(), run.lines().toString());
        assertTrue(run.line("CAPABILITY").contains("LOGINDISABLED"), run.lines().toString());
        assertTrue(run.line("LOGIN").startsWith("LOGIN FAILED"), run.lines().toString());
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        var run = python("imaps", server.imapsPort(), TestServer.ALICE, "not-the-password");
        assertEquals(3, run.exitCode(), run.lines().toString());
        assertTrue(run.line("LOGIN").contains("AUTHENTICATIONFAILED"), run.lines().toString());
    }
}
