package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * Byte-exact ManageSieve (RFC 5804) against a real server: every command, the RFC's examples, and what bad clients
 * get. The server's loopback is no secure network here, so plaintext SASL needs STARTTLS, except where a test
 * says otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManageSieveProtocolTest {
    static final String SIEVE = "\"SIEVE\" \"body comparator-i;ascii-casemap comparator-i;ascii-numeric comparator-i;octet"
            + " copy date envelope ereject fileinto imap4flags include index mailbox reject relational subaddress"
            + " vacation variables\"\r\n";
    /**
     * The RFC's example says "line 2"; like Pigeonhole ("foo: line 3: error: expected end of command ';' ... but
     * found end of file."), the compiler reports where the missing ';' was found: the end of the script, on line 3.
     */
    static final String INVALID_SIEVE_COMMAND =
            "NO \"line 3: expected ';' or '{' after command 'InvalidSieveCommand', found end of script\"\r\n";
    @TempDir
    static Path dir;
    static TestServer server;
    static int users;

    @BeforeAll
    static void start() throws IOException {
        var passwd = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            passwd.append("user").append(i).append(":{PLAIN}secret::::::\n");
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("passwd"), passwd);
        server = TestServer.start(dir, Map.of("ROOST_LISTENERS_MANAGESIEVE_ENABLED", "true",
                "ROOST_AUTH_SECURENETWORKS", "", "ROOST_SIEVE_RELAY", "127.0.0.1:25", "ROOST_SIEVE_MAXREDIRECTS", "2",
                "ROOST_SIEVE_MAXSCRIPTS", "3", "ROOST_SIEVE_MAXSCRIPTSIZE", "2048", "ROOST_LIMITS_MAXFAILEDLOGINS", "3",
                "ROOST_MANAGESIEVE_MAXINVALIDCOMMANDS", "4", "ROOST_LIMITS_MAXLINELENGTH", "1024",
                "ROOST_LIMITS_MAXPREAUTHLITERALSIZE", "4096"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static synchronized String newUser() {
        return "user" + users++;
    }

    private static ManageSieveTestClient connect() throws IOException {
        return new ManageSieveTestClient(server.manageSievePort());
    }

    /** A client that did STARTTLS and logged in as a user of its own. */
    private static ManageSieveTestClient loggedIn() throws IOException {
        var client = connect();
        assertEquals("OK \"Begin TLS negotiation now.\"\r\n", client.command("STARTTLS"));
        client.upgrade();
        assertEquals("OK \"Logged in.\"\r\n", client.login(newUser(), "secret"));
        return client;
    }

    private static String capabilities(String sasl, boolean startTls, String owner) {
        return "\"IMPLEMENTATION\" \"Roost\"\r\n" + SIEVE + "\"SASL\" \"" + sasl + "\"\r\n"
                + (startTls ? "\"STARTTLS\"\r\n" : "") + "\"MAXREDIRECTS\" \"2\"\r\n"
                + (owner == null ? "" : "\"OWNER\" \"" + owner + "\"\r\n") + "\"UNAUTHENTICATE\"\r\n\"VERSION\" \"1.0\"\r\n";
    }

    @Test
    void greetingListsTheCapabilitiesAndNoMechanismBeforeTls() throws IOException {
        try (var client = connect()) {
            assertEquals(capabilities("", true, null) + "OK \"Roost ManageSieve ready.\"\r\n", client.greeting);
            assertEquals(capabilities("", true, null) + "OK \"Capability completed.\"\r\n",
                    client.command("CAPABILITY"));
            assertEquals("NO (ENCRYPT-NEEDED) \"Plaintext authentication disallowed on non-secure (SSL/TLS)"
                    + " connections.\"\r\n", client.login("user0", "secret"));
        }
    }

    /** RFC 5804 §2.2: after the handshake the capabilities come again, without STARTTLS, then OK. */
    @Test
    void startTlsReissuesTheCapabilities() throws IOException {
        try (var client = connect()) {
            assertEquals("OK \"Begin TLS negotiation now.\"\r\n", client.command("StartTls"));
            assertEquals(capabilities("PLAIN LOGIN", false, null) + "OK \"TLS negotiation successful.\"\r\n",
                    client.upgrade());
            assertEquals("NO \"TLS is already active.\"\r\n", client.command("STARTTLS"));
            var user = newUser();
            assertEquals("OK \"Logged in.\"\r\n", client.login(user, "secret"));
            assertEquals(capabilities("PLAIN LOGIN", false, user) + "OK \"Capability completed.\"\r\n",
                    client.command("CAPABILITY"));
            assertEquals("NO \"STARTTLS is only valid before authentication.\"\r\n", client.command("STARTTLS"));
        }
    }

    /** Plaintext a client pipelines behind STARTTLS is never taken as a command under TLS (CVE-2011-0411 class). */
    @Test
    void commandsPipelinedBehindStartTlsAreDropped() throws IOException {
        try (var client = connect()) {
            client.sendRaw("STARTTLS\r\nLOGOUT\r\n");
            assertEquals("OK \"Begin TLS negotiation now.\"\r\n", client.response());
            client.upgrade();
            assertEquals("OK \"NOOP completed.\"\r\n", client.command("NOOP"));
        }
    }

    /** RFC 5804 §2.13. */
    @Test
    void noopEchoesItsTag() throws IOException {
        try (var client = connect()) {
            assertEquals("OK \"NOOP completed.\"\r\n", client.command("NOOP"));
            assertEquals("OK (TAG \"STARTTLS-SYNC-42\") \"Done\"\r\n", client.command("NOOP \"STARTTLS-SYNC-42\""));
            assertEquals("OK (TAG {7}\r\nline\r\n\") \"Done\"\r\n", client.command("NOOP {7+}\r\nline\r\n\""));
        }
    }

    @Test
    void authenticateTakesAnInitialResponseOrAContinuation() throws IOException {
        try (var client = connect()) {
            client.command("STARTTLS");
            client.upgrade();
            client.sendRaw("AUTHENTICATE \"PLAIN\"\r\n");
            assertEquals("\"\"", client.line());
            var plain = Base64.getEncoder().encode("\0user1\0secret".getBytes(StandardCharsets.UTF_8));
            client.sendRaw("{" + plain.length + "+}\r\n" + new String(plain, StandardCharsets.US_ASCII) + "\r\n");
            assertEquals("OK \"Logged in.\"\r\n", client.response());
            assertEquals("NO \"AUTHENTICATE is only valid before authentication.\"\r\n",
                    client.command("AUTHENTICATE \"PLAIN\" \"\""));
        }
    }

    @Test
    void authenticateCanBeCancelledAndRefusesWhatIsNoBase64() throws IOException {
        try (var client = connect()) {
            client.command("STARTTLS");
            client.upgrade();
            client.sendRaw("AUTHENTICATE \"PLAIN\"\r\n");
            assertEquals("\"\"", client.line());
            assertEquals("NO \"Authentication cancelled.\"\r\n", client.command("\"*\""));
            assertEquals("NO \"Invalid base64 data in the initial response.\"\r\n",
                    client.command("AUTHENTICATE \"PLAIN\" \"not base64!\""));
            assertEquals("NO \"Unsupported authentication mechanism.\"\r\n", client.command("AUTHENTICATE \"GSSAPI\""));
        }
    }

    /** RFC 5804 §2.1's last example: NO, NO, then BYE for too many failures, and the server closes. */
    @Test
    void tooManyFailedLoginsEndTheSession() throws IOException {
        try (var client = connect()) {
            client.command("STARTTLS");
            client.upgrade();
            assertEquals("NO \"Authentication failed.\"\r\n", client.login("user2", "wrong"));
            assertEquals("NO \"Authentication failed.\"\r\n", client.login("user2", "wrong"));
            assertEquals("BYE \"Too many failed authentication attempts.\"\r\n", client.login("user2", "wrong"));
            assertTrue(client.closedByServer());
        }
    }

    /** RFC 5804 §2: before login only AUTHENTICATE, CAPABILITY, STARTTLS, LOGOUT and NOOP. */
    @Test
    void scriptCommandsNeedALogin() throws IOException {
        try (var client = connect()) {
            assertEquals("NO \"LISTSCRIPTS is only valid after authentication.\"\r\n", client.command("LISTSCRIPTS"));
            assertEquals("NO \"UNAUTHENTICATE is only valid after authentication.\"\r\n",
                    client.command("UNAUTHENTICATE"));
            assertEquals("OK \"Logout completed.\"\r\n", client.command("LOGOUT"));
            assertTrue(client.closedByServer());
        }
    }

    /**
     * RFC 5804 §2.6's examples. The second and third use envelope without requiring it, which Sieve refuses
     * (Pigeonhole too): the second is sent as the RFC wrote it (99 octets with its last CRLF, where the RFC counts
     * 110), then both with the require.
     */
    @Test
    void putScriptChecksTheScriptAndTheRfcExamplesPass() throws IOException {
        try (var client = loggedIn()) {
            assertEquals(INVALID_SIEVE_COMMAND,
                    client.command("Putscript \"foo\" {31+}\r\n#comment\r\nInvalidSieveCommand\r\n"));
            var fileInto = "require [\"fileinto\"];\r\n\r\nif envelope :contains \"to\" \"tmartin+sent\" {\r\n"
                    + "  fileinto \"INBOX.sent\";\r\n}\r\n";
            assertEquals("NO \"line 3: test 'envelope' needs require \\\"envelope\\\"\"\r\n",
                    client.command("Putscript \"mysievescript\" {99+}\r\n" + fileInto));
            var fixed = fileInto.replace("[\"fileinto\"]", "[\"fileinto\", \"envelope\"]");
            assertEquals("OK \"Putscript completed.\"\r\n",
                    client.command("Putscript \"mysievescript\" {" + fixed.length() + "+}\r\n" + fixed));
            var forwards = "require \"envelope\";\r\nredirect \"111@example.net\";\r\n\r\nif size :under 10k {\r\n"
                    + "    redirect \"mobile@cell.example.com\";\r\n}\r\n\r\n"
                    + "if envelope :contains \"to\" \"tmartin+lists\" {\r\n"
                    + "    redirect \"lists@groups.example.com\";\r\n}\r\n";
            assertEquals("OK \"Putscript completed.\"\r\n",
                    client.command("Putscript \"myforwards\" {" + forwards.length() + "+}\r\n" + forwards));
            assertEquals("\"myforwards\"\r\n\"mysievescript\"\r\nOK \"Listscripts completed.\"\r\n",
                    client.command("Listscripts"));
        }
    }

    /** RFC 5804 §2.7-§2.11: list, activate, read, delete and rename, with their response codes. */
    @Test
    void scriptsAreListedActivatedReadRenamedAndDeleted() throws IOException {
        try (var client = loggedIn()) {
            var script = "keep;\r\n";
            assertEquals("OK \"Putscript completed.\"\r\n", client.command("PUTSCRIPT \"main_script\" {7+}\r\n" + script));
            assertEquals("OK \"Putscript completed.\"\r\n", client.command("PUTSCRIPT {13+}\r\nclever\"script {7+}\r\n" + script));
            assertEquals("OK \"Setactive completed.\"\r\n", client.command("Setactive \"main_script\""));
            assertEquals("\"clever\\\"script\"\r\n\"main_script\" ACTIVE\r\nOK \"Listscripts completed.\"\r\n",
                    client.command("LISTSCRIPTS"));
            assertEquals("{7}\r\nkeep;\r\n\r\nOK \"Getscript completed.\"\r\n", client.command("GETSCRIPT \"main_script\""));
            assertEquals("NO (NONEXISTENT) \"There is no script named baz.\"\r\n", client.command("Setactive \"baz\""));
            assertEquals("NO (NONEXISTENT) \"There is no script named baz.\"\r\n", client.command("GETSCRIPT \"baz\""));
            assertEquals("NO (ACTIVE) \"The active script cannot be deleted.\"\r\n",
                    client.command("DELETESCRIPT \"main_script\""));
            assertEquals("NO (ALREADYEXISTS) \"A script named clever\\\"script exists.\"\r\n",
                    client.command("RENAMESCRIPT \"main_script\" {13+}\r\nclever\"script"));
            assertEquals("OK \"Renamescript completed.\"\r\n", client.command("RENAMESCRIPT \"main_script\" \"summer\""));
            assertEquals("\"clever\\\"script\"\r\n\"summer\" ACTIVE\r\nOK \"Listscripts completed.\"\r\n",
                    client.command("LISTSCRIPTS"));
            assertEquals("OK \"Active script disabled.\"\r\n", client.command("SETACTIVE \"\""));
            assertEquals("OK \"Active script disabled.\"\r\n", client.command("SETACTIVE \"\""));
            assertEquals("OK \"Deletescript completed.\"\r\n", client.command("DELETESCRIPT \"summer\""));
            assertEquals("NO (NONEXISTENT) \"There is no script named summer.\"\r\n",
                    client.command("DELETESCRIPT \"summer\""));
            assertEquals("\"clever\\\"script\"\r\nOK \"Listscripts completed.\"\r\n", client.command("LISTSCRIPTS"));
        }
    }

    /** RFC 5804 §1.5 and §2.5: script size and count quotas, answered before and at PUTSCRIPT. */
    @Test
    void quotasOnScriptSizeAndCount() throws IOException {
        try (var client = loggedIn()) {
            assertEquals("NO (QUOTA/MAXSIZE) \"A script may be at most 2048 bytes long.\"\r\n",
                    client.command("HAVESPACE \"myscript\" 999999"));
            assertEquals("OK \"Putscript would succeed.\"\r\n", client.command("HAVESPACE \"foobar\" 435"));
            var large = "#" + "x".repeat(3000) + "\r\n";
            assertEquals("NO (QUOTA/MAXSIZE) \"A script may be at most 2048 bytes long.\"\r\n",
                    client.command("PUTSCRIPT \"large\" {" + large.length() + "+}\r\n" + large));
            for (var name : new String[] {"a", "b", "c"}) {
                assertEquals("OK \"Putscript completed.\"\r\n", client.command("PUTSCRIPT \"" + name + "\" \"keep;\""));
            }
            assertEquals("NO (QUOTA/MAXSCRIPTS) \"At most 3 scripts may be stored.\"\r\n",
                    client.command("PUTSCRIPT \"d\" \"keep;\""));
            assertEquals("NO (QUOTA/MAXSCRIPTS) \"At most 3 scripts may be stored.\"\r\n",
                    client.command("HAVESPACE \"d\" 10"));
            assertEquals("OK \"Putscript completed.\"\r\n", client.command("PUTSCRIPT \"a\" \"discard;\""));
            assertEquals("NO \"The script is too large (3003 bytes).\"\r\n",
                    client.command("CHECKSCRIPT {" + large.length() + "+}\r\n" + large));
        }
    }

    /** RFC 5804 §2.12: CHECKSCRIPT checks without storing. */
    @Test
    void checkScript() throws IOException {
        try (var client = loggedIn()) {
            assertEquals(INVALID_SIEVE_COMMAND,
                    client.command("CheckScript {31+}\r\n#comment\r\nInvalidSieveCommand\r\n"));
            assertEquals("OK \"Script is valid.\"\r\n", client.command("CHECKSCRIPT \"require \\\"fileinto\\\"; keep;\""));
            assertEquals("OK \"Script is valid.\"\r\n", client.command("CHECKSCRIPT \"\""));
            client.sendRaw(new byte[] {'C', 'H', 'E', 'C', 'K', 'S', 'C', 'R', 'I', 'P', 'T', ' ', '{', '2', '+', '}',
                '\r', '\n', (byte) 0xc3, '(', '\r', '\n'});
            assertEquals("NO \"The script is not valid UTF-8.\"\r\n", client.response());
            assertEquals("OK \"Listscripts completed.\"\r\n", client.command("LISTSCRIPTS"));
        }
    }

    @Test
    void badScriptNamesAreRefused() throws IOException {
        try (var client = loggedIn()) {
            assertEquals("NO \"The script name must not be empty.\"\r\n", client.command("PUTSCRIPT \"\" \"keep;\""));
            assertEquals("NO \"Invalid script name: a script name may not contain control characters, '/' or unpaired"
                    + " surrogates.\"\r\n", client.command("PUTSCRIPT \"a/b\" \"keep;\""));
            assertEquals("NO \"Invalid script name: a script name may not start with '.'.\"\r\n",
                    client.command("GETSCRIPT \"..\""));
            assertEquals("NO \"The script is empty.\"\r\n", client.command("PUTSCRIPT \"empty\" \"\""));
            assertEquals("NO \"Invalid script name: a script name may not contain control characters, '/' or unpaired"
                    + " surrogates.\"\r\n", client.command("PUTSCRIPT {3+}\r\na\tb \"keep;\""));
        }
    }

    /** RFC 5804 §2.14.1: back to the non-authenticated state, where script commands are refused again. */
    @Test
    void unauthenticateReturnsToTheNonAuthenticatedState() throws IOException {
        try (var client = loggedIn()) {
            assertEquals("OK \"Unauthenticate completed.\"\r\n", client.command("UNAUTHENTICATE"));
            assertEquals("NO \"LISTSCRIPTS is only valid after authentication.\"\r\n", client.command("LISTSCRIPTS"));
            assertEquals(capabilities("PLAIN LOGIN", false, null) + "OK \"Capability completed.\"\r\n",
                    client.command("CAPABILITY"));
            assertEquals("OK \"Logged in.\"\r\n", client.login(newUser(), "secret"));
        }
    }

    @Test
    void invalidCommandsGetANoAndTooManyABye() throws IOException {
        try (var client = connect()) {
            assertEquals("NO \"Unknown command.\"\r\n", client.command("FROBNICATE"));
            assertEquals("NO \"Missing closing quote.\"\r\n", client.command("NOOP \"abc"));
            assertEquals("NO \"Too many arguments for CAPABILITY.\"\r\n", client.command("CAPABILITY \"x\""));
            assertEquals("OK \"NOOP completed.\"\r\n", client.command("NOOP"));
            assertEquals("NO \"Line too long.\"\r\n", client.command("NOOP \"" + "x".repeat(2000) + "\""));
            assertEquals("NO \"HAVESPACE is only valid after authentication.\"\r\n", client.command("HAVESPACE \"a\" 1"));
            assertEquals("NO \"Expected a command name.\"\r\n", client.command(""));
            assertEquals("BYE \"Too many invalid commands; closing the connection.\"\r\n", client.command("x"));
            assertTrue(client.closedByServer());
        }
    }

    /** Before login a literal is bounded by limits.maxPreAuthLiteralSize: a larger one ends the session at once. */
    @Test
    void aLargeLiteralBeforeLoginEndsTheSession() throws IOException {
        try (var client = connect()) {
            assertEquals("BYE \"Literal too large.\"\r\n", client.command("NOOP {4097+}"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void sessionsAreMetered() throws IOException, InterruptedException {
        try (var client = loggedIn()) {
            client.command("LISTSCRIPTS");
            // a command is counted once its reply is out, so the client may read the reply before the count moves
            var counted = "command=\"LISTSCRIPTS\",protocol=\"managesieve\",result=\"OK\"";
            var metrics = server.server().metrics().scrape("text/plain");
            for (int i = 0; i < 100 && !metrics.contains(counted); i++) {
                Thread.sleep(50);
                metrics = server.server().metrics().scrape("text/plain");
            }
            assertTrue(metrics.contains("roost_sessions{protocol=\"managesieve\",state=\"authenticated\"}"), metrics);
            assertTrue(metrics.contains(counted), metrics);
        }
    }
}
