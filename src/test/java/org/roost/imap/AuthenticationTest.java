package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

import static org.roost.testing.ImapCapabilities.AFTER_LOGIN;
import static org.roost.testing.TestServer.ALICE;
import static org.roost.testing.TestServer.ALICE_PASSWORD;
import static org.roost.testing.TestServer.BOB;
import static org.roost.testing.TestServer.BOB_PASSWORD;

/** Greeting, CAPABILITY, LOGIN, AUTHENTICATE PLAIN and LOGOUT, byte-exact (RFC 3501 §6.1, §6.2; RFC 4959, 4616). */
class AuthenticationTest {

    static String plain(String authz, String user, String password) {
        return Base64.getEncoder().encodeToString((authz + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Loopback is a secure network by default: plaintext auth is allowed without TLS. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnASecureNetwork {
        TestServer server;

        @BeforeAll
        void start(@TempDir Path dir) throws IOException {
            server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXFAILEDLOGINS", "3"));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void greetingCarriesTheCapabilities() throws IOException {
            try (var c = server.imap()) {
                assertEquals("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS AUTH=PLAIN AUTH=LOGIN] Roost ready.", c.greeting());
                assertEquals(List.of("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS AUTH=PLAIN AUTH=LOGIN", "a OK CAPABILITY completed."),
                        c.command("a", "CAPABILITY"));
            }
        }

        @Test
        void loginThenLogout() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a OK [CAPABILITY " + AFTER_LOGIN + "] Logged in",
                        c.tagged("a", "LOGIN " + ALICE + " \"" + ALICE_PASSWORD + "\""));
                assertEquals(List.of("* CAPABILITY " + AFTER_LOGIN, "b OK CAPABILITY completed."),
                        c.command("b", "CAPABILITY"));
                assertEquals("c OK NOOP completed.", c.tagged("c", "NOOP"));
                assertEquals(List.of("* BYE Logging out.", "d OK LOGOUT completed."), c.command("d", "LOGOUT"));
                c.assertClosedByServer();
            }
        }

        @Test
        void loginWithASha512CryptPasswordAndLiterals() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                c.send("a LOGIN {3}");
                assertEquals("+ Ready for literal data", c.readLine());
                c.send(BOB + " {" + BOB_PASSWORD.length() + "+}");
                c.send(BOB_PASSWORD);
                assertTrue(c.readLine().startsWith("a OK "));
            }
        }

        @Test
        void commandNamesAreCaseInsensitive() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertTrue(c.tagged("a", "login " + BOB + " " + BOB_PASSWORD).startsWith("a OK "));
                assertEquals("b OK NOOP completed.", c.tagged("b", "nOoP"));
            }
        }

        @Test
        void wrongPasswordIsAuthenticationFailed() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", c.tagged("a", "LOGIN alice wrong"));
                assertEquals("b NO [AUTHENTICATIONFAILED] Authentication failed.", c.tagged("b", "LOGIN nobody secret"));
                assertTrue(c.tagged("c", "LOGIN bob " + BOB_PASSWORD).startsWith("c OK "), "still allowed to try");
            }
        }

        @Test
        void tooManyFailedLoginsEndWithBye() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.", c.tagged("a", "LOGIN alice x"));
                assertEquals("b NO [AUTHENTICATIONFAILED] Authentication failed.", c.tagged("b", "LOGIN alice y"));
                assertEquals("c NO [AUTHENTICATIONFAILED] Authentication failed.", c.tagged("c", "LOGIN alice z"));
                assertEquals("* BYE Too many invalid authentication attempts.", c.readLine());
                c.assertClosedByServer();
            }
        }

        @Test
        void authenticatePlainWithInitialResponse() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a OK [CAPABILITY " + AFTER_LOGIN + "] Logged in",
                        c.tagged("a", "AUTHENTICATE PLAIN " + plain("", ALICE, ALICE_PASSWORD)));
            }
        }

        @Test
        void authenticatePlainWithAContinuation() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                c.send("a AUTHENTICATE plain");
                assertEquals("+ ", c.readLine());
                c.send(plain(BOB, BOB, BOB_PASSWORD));
                assertEquals("a OK [CAPABILITY " + AFTER_LOGIN + "] Logged in", c.readLine());
            }
        }

        @Test
        void emptyInitialResponseIsAMalformedPlainMessage() throws IOException {
            // RFC 4959: "=" is an initial response of zero bytes, which RFC 4616 PLAIN cannot parse
            try (var c = server.imap()) {
                c.greeting();
                c.send("a AUTHENTICATE PLAIN =");
                assertTrue(c.readLine().startsWith("a BAD "));
                c.send("b AUTHENTICATE PLAIN");
                assertEquals("+ ", c.readLine());
                c.send(plain("", ALICE, ALICE_PASSWORD));
                assertTrue(c.readLine().startsWith("b OK "));
            }
        }

        @Test
        void starCancelsTheExchange() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                c.send("a AUTHENTICATE PLAIN");
                assertEquals("+ ", c.readLine());
                c.send("*");
                assertEquals("a BAD Authentication canceled.", c.readLine());
                assertTrue(c.tagged("b", "LOGIN alice \"" + ALICE_PASSWORD + "\"").startsWith("b OK "));
            }
        }

        @Test
        void authenticateWithTheWrongPassword() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.",
                        c.tagged("a", "AUTHENTICATE PLAIN " + plain("", ALICE, "nope")));
            }
        }

        @Test
        void authenticateAsSomeoneElseIsRefused() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a NO [AUTHENTICATIONFAILED] Authentication failed.",
                        c.tagged("a", "AUTHENTICATE PLAIN " + plain(BOB, ALICE, ALICE_PASSWORD)));
            }
        }

        @Test
        void badBase64IsBad() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertTrue(c.tagged("a", "AUTHENTICATE PLAIN !!!").startsWith("a BAD "));
                c.send("b AUTHENTICATE PLAIN");
                assertEquals("+ ", c.readLine());
                c.send("%%%");
                assertTrue(c.readLine().startsWith("b BAD "));
                assertEquals("c OK NOOP completed.", c.tagged("c", "NOOP"));
            }
        }

        @Test
        void unknownMechanismIsRefused() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertTrue(c.tagged("a", "AUTHENTICATE KERBEROS_V9").startsWith("a NO "));
            }
        }

        @Test
        void loginTwiceIsBad() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                c.tagged("a", "LOGIN bob " + BOB_PASSWORD);
                assertTrue(c.tagged("b", "LOGIN bob " + BOB_PASSWORD).startsWith("b BAD "));
                assertTrue(c.tagged("c", "AUTHENTICATE PLAIN " + plain("", BOB, BOB_PASSWORD)).startsWith("c BAD "));
                assertTrue(c.tagged("d", "STARTTLS").startsWith("d BAD "), "STARTTLS only before authentication");
            }
        }

        @Test
        void starttlsThenLogin() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a OK Begin TLS negotiation now.", c.tagged("a", "STARTTLS"));
                c.startTls();
                assertEquals(List.of("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN", "b OK CAPABILITY completed."),
                        c.command("b", "CAPABILITY"), "no STARTTLS once TLS is on");
                assertTrue(c.tagged("c", "STARTTLS").startsWith("c BAD "));
                assertTrue(c.tagged("d", "LOGIN alice \"" + ALICE_PASSWORD + "\"").startsWith("d OK "));
            }
        }

        @Test
        void imapsGreetingHasNoStarttls() throws IOException {
            try (var c = server.imaps()) {
                assertEquals("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN] Roost ready.", c.greeting());
                assertTrue(c.tagged("a", "LOGIN bob " + BOB_PASSWORD).startsWith("a OK "));
                assertEquals(List.of("* BYE Logging out.", "b OK LOGOUT completed."), c.command("b", "LOGOUT"));
            }
        }
    }

    /** With {@code auth.secureNetworks: []} loopback is an open network: plaintext auth needs TLS (RFC 3501 §6.2.3). */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OutsideSecureNetworks {
        TestServer server;

        @BeforeAll
        void start(@TempDir Path dir) throws IOException {
            server = TestServer.start(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
        }

        @AfterAll
        void stop() {
            server.close();
        }

        @Test
        void loginDisabledIsAdvertisedAndEnforced() throws IOException {
            try (var c = server.imap()) {
                assertEquals("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS LOGINDISABLED] Roost ready.", c.greeting());
                var caps = c.command("a", "CAPABILITY");
                assertEquals("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS LOGINDISABLED", caps.getFirst());
                assertFalse(caps.getFirst().contains("AUTH="), "no SASL mechanism offered in the clear");
                assertEquals("b NO [PRIVACYREQUIRED] Plaintext authentication is disallowed without TLS.",
                        c.tagged("b", "LOGIN alice \"" + ALICE_PASSWORD + "\""));
                assertEquals("c NO [PRIVACYREQUIRED] Authentication is disallowed without TLS.",
                        c.tagged("c", "AUTHENTICATE PLAIN " + plain("", ALICE, ALICE_PASSWORD)));
                assertEquals(List.of("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS LOGINDISABLED", "d OK CAPABILITY completed."),
                        c.command("d", "CAPABILITY"), "still not authenticated");
            }
        }

        @Test
        void refusedPlaintextLoginsDoNotCountAsFailures() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                for (int i = 0; i < 6; i++) {
                    assertTrue(c.tagged("a" + i, "LOGIN alice x").startsWith("a" + i + " NO [PRIVACYREQUIRED]"));
                }
                assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
            }
        }

        @Test
        void afterStarttlsLoginWorks() throws IOException {
            try (var c = server.imap()) {
                c.greeting();
                assertEquals("a OK Begin TLS negotiation now.", c.tagged("a", "STARTTLS"));
                c.startTls();
                assertEquals("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN", c.command("b", "CAPABILITY").getFirst());
                assertTrue(c.tagged("c", "LOGIN alice \"" + ALICE_PASSWORD + "\"").startsWith("c OK "));
            }
        }

        @Test
        void imapsAllowsLogin() throws IOException {
            try (var c = server.imaps()) {
                assertEquals("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN] Roost ready.", c.greeting());
                assertTrue(c.tagged("a", "AUTHENTICATE PLAIN " + plain("", BOB, BOB_PASSWORD)).startsWith("a OK "));
            }
        }
    }

}
