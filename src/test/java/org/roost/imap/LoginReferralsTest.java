package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.ImapCapabilities;
import org.roost.testing.Logins;
import org.roost.testing.TestServer;

/**
 * LOGIN-REFERRALS (RFC 2221 §4.1) from the passwd-file's extra fields, as Dovecot reads them: {@code host} with
 * {@code nologin} refuses the right password with {@code NO [REFERRAL imap://user@host/]}, {@code host} alone
 * logs the user in with {@code OK [REFERRAL ...]}; a wrong password never learns the referral, POP3 refuses the
 * referred user like a wrong password, and a field that cannot make a URL leaves a plain refusal. Through raw
 * sessions (byte-exact) and Python's imaplib, which shows the NO's text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class LoginReferralsTest {
    static final String REFUSED = "NO [AUTHENTICATIONFAILED] Authentication failed.";
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("passwd"), """
                alice:{PLAIN}wonder land::::::
                moved:{PLAIN}moved-pw::::::nologin host=imap2.example.org
                visiting:{PLAIN}visit-pw::::::host=2001:db8::1 port=1143 destuser=v@example.org reason=Please_move
                broken:{PLAIN}broken-pw::::::nologin host=bad]host
                """, StandardCharsets.UTF_8);
        server = TestServer.start(dir, Map.of("ROOST_LISTENERS_POP3_ENABLED", "true"));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void advertisedBeforeAndAfterLogin() throws IOException {
        try (var c = server.imap()) {
            assertTrue(c.greeting().contains(" LOGIN-REFERRALS"));
            c.expectOk("LOGIN alice \"wonder land\"");
            assertEquals(List.of("* CAPABILITY " + ImapCapabilities.AFTER_LOGIN), c.expectOk("CAPABILITY").untagged());
        }
        assertTrue(ImapCapabilities.AFTER_LOGIN.contains(" LOGIN-REFERRALS "));
    }

    @Test
    void nologinWithAHostRefersTheRightPasswordOnly() throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            assertEquals("a1 " + REFUSED, c.tagged("a1", "LOGIN moved wrong"));
            assertEquals("a2 NO [REFERRAL imap://moved@imap2.example.org/] Try this server instead.",
                    c.tagged("a2", "LOGIN moved moved-pw"));
            var plain = Base64.getEncoder().encodeToString("\0moved\0moved-pw".getBytes(StandardCharsets.US_ASCII));
            assertEquals("a3 NO [REFERRAL imap://moved;AUTH=PLAIN@imap2.example.org/] Try this server instead.",
                    c.tagged("a3", "AUTHENTICATE plain " + plain));
            assertEquals("a4 BAD Command is not valid before authentication.", c.tagged("a4", "SELECT INBOX"), "not logged in");
            assertEquals("a5 OK [CAPABILITY " + ImapCapabilities.AFTER_LOGIN + "] Logged in",
                    c.tagged("a5", "LOGIN alice \"wonder land\""), "and free to log in as someone else");
        }
    }

    @Test
    void hostWithoutNologinLogsInAndSuggestsTheOtherServer() throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            assertEquals("a1 OK [REFERRAL imap://v%40example.org@[2001:db8::1]:1143/] Please_move",
                    c.tagged("a1", "LOGIN visiting visit-pw"));
            c.expectOk("SELECT INBOX");
        }
    }

    @Test
    void aHostThatMakesNoUrlIsAPlainRefusal() throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            assertEquals("a1 " + REFUSED, c.tagged("a1", "LOGIN broken broken-pw"));
        }
    }

    @Test
    void imaplibShowsTheReferralAndPop3RefusesIt() throws Exception {
        assertEquals("NO b'[REFERRAL imap://moved@imap2.example.org/] Try this server instead.'",
                Logins.python("login", server.imapPort(), "moved", "moved-pw"));
        assertEquals("NO [REFERRAL imap://moved;AUTH=PLAIN@imap2.example.org/] Try this server instead.",
                Logins.python("plain", server.imapPort(), "moved", "moved-pw"));
        assertEquals("OK OK", Logins.python("login", server.imapPort(), "visiting", "visit-pw"));
        var pop3 = Logins.python("pop3", server.pop3Port(), "moved", "moved-pw");
        assertEquals(Logins.python("pop3", server.pop3Port(), "moved", "wrong"), pop3, "POP3 has no referrals");
        assertTrue(pop3.startsWith("NO"), pop3);
    }
}
