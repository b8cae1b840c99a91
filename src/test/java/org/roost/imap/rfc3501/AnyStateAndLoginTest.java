package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.roost.testing.TestServer;

/** RFC 3501 §6.1 (any state) and §6.2 (not authenticated state). */
class AnyStateAndLoginTest extends ImapTestBase {

    @Test
    void sec7_1_1_greetingIsUntaggedOkWithCapabilities() throws Exception {
        var c = connect();
        assertTrue(c.greeting().startsWith("* OK [CAPABILITY IMAP4rev1 "), c.greeting());
    }

    @Test
    void sec6_1_1_capabilityInEveryState() throws Exception {
        var c = connect();
        var r = c.run("CAPABILITY");
        assertEquals(1, r.untagged("CAPABILITY IMAP4rev1").size(), r.toString());
        assertTrue(r.untagged().getFirst().contains(" STARTTLS"), "STARTTLS offered before login on plain text");
        assertTrue(r.ok());
        c.expectOk("LOGIN " + user + " " + TestServer.PASSWORD);
        r = c.run("CAPABILITY");
        assertTrue(r.untagged().getFirst().startsWith("* CAPABILITY IMAP4rev1 "), r.toString());
        assertTrue(!r.untagged().getFirst().contains("STARTTLS"), "no STARTTLS after login");
        c.expectOk("SELECT INBOX");
        assertTrue(c.run("CAPABILITY").ok());
    }

    @Test
    void sec6_1_2_noopInEveryState() throws Exception {
        var c = connect();
        assertEquals("a1 OK NOOP completed.", c.run("NOOP").tagged());
        c.expectOk("LOGIN " + user + " " + TestServer.PASSWORD);
        assertTrue(c.run("NOOP").ok());
        c.expectOk("SELECT INBOX");
        var r = c.run("NOOP");
        assertEquals("a5 OK NOOP completed.", r.tagged());
        assertEquals(0, r.untagged().size(), r.toString());
    }

    @Test
    void sec6_1_3_logoutSendsByeThenOkThenCloses() throws Exception {
        var c = connect();
        var r = c.run("LOGOUT");
        assertEquals("* BYE Logging out.", r.untagged().getFirst());
        assertEquals("a1 OK LOGOUT completed.", r.tagged());
        assertTrue(c.closedByServer());
    }

    @Test
    void sec6_1_3_logoutWhileSelected() throws Exception {
        var c = selected("INBOX");
        var r = c.run("LOGOUT");
        assertEquals(1, r.untagged("BYE").size());
        assertTrue(r.ok());
    }

    @Test
    void sec6_2_3_loginWithQuotedAndLiteralArguments() throws Exception {
        var c = connect();
        var r = c.run("LOGIN \"" + user + "\" {6+}\r\n" + TestServer.PASSWORD);
        assertTrue(r.ok(), r.toString());
        assertTrue(r.tagged().contains("[CAPABILITY IMAP4rev1"), r.tagged());
    }

    @Test
    void sec6_2_3_loginWithSynchronizingLiteralGetsContinuation() throws Exception {
        var c = connect();
        c.write("a1 LOGIN " + user + " {6}\r\n");
        assertTrue(c.readResponse().startsWith("+ "), "continuation request before the literal");
        c.write(TestServer.PASSWORD + "\r\n");
        assertTrue(c.readUntilTagged("a1").ok());
    }

    @Test
    void sec6_2_3_wrongPasswordIsNoAndStaysUnauthenticated() throws Exception {
        var c = connect();
        var r = c.run("LOGIN " + user + " wrong");
        assertTrue(r.tagged().startsWith("a1 NO [AUTHENTICATIONFAILED]"), r.tagged());
        assertTrue(c.run("SELECT INBOX").tagged().startsWith("a2 BAD"));
    }

    @Test
    void sec6_2_3_loginRefusedWhenAlreadyAuthenticated() throws Exception {
        var c = login();
        var r = c.run("LOGIN " + user + " " + TestServer.PASSWORD);
        assertTrue(r.tagged().startsWith("a2 BAD"), r.tagged());
    }

    @Test
    void sec6_2_2_authenticatePlainWithContinuation() throws Exception {
        var c = connect();
        c.write("a1 AUTHENTICATE PLAIN\r\n");
        assertEquals("+ ", c.readResponse().substring(0, 2));
        var credentials = Base64.getEncoder().encodeToString(("\0" + user + "\0" + TestServer.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        c.write(credentials + "\r\n");
        assertTrue(c.readUntilTagged("a1").ok());
        assertTrue(c.run("SELECT INBOX").ok());
    }

    @Test
    void sec6_2_2_authenticateCancelledWithStar() throws Exception {
        var c = connect();
        c.write("a1 AUTHENTICATE PLAIN\r\n");
        c.readResponse();
        c.write("*\r\n");
        assertTrue(c.readUntilTagged("a1").tagged().startsWith("a1 BAD"));
    }

    @Test
    void sec6_2_2_authenticateUnknownMechanismIsNo() throws Exception {
        var c = connect();
        var r = c.run("AUTHENTICATE X-UNKNOWN");
        assertTrue(r.tagged().startsWith("a1 NO"), r.tagged());
    }

    @Test
    void sec6_2_1_starttlsRefusedAfterLogin() throws Exception {
        var c = login();
        assertTrue(c.run("STARTTLS").tagged().startsWith("a2 BAD"));
    }

    @Test
    void sec6_2_1_starttlsAnswersOkBeforeTheHandshake() throws Exception {
        var c = connect();
        assertEquals("a1 OK Begin TLS negotiation now.", c.run("STARTTLS").tagged());
    }

    @Test
    void sec6_authenticatedCommandsRefusedBeforeLogin() throws Exception {
        var c = connect();
        for (var cmd : new String[] {"SELECT INBOX", "EXAMINE INBOX", "CREATE x", "DELETE x", "RENAME x y",
                "SUBSCRIBE x", "UNSUBSCRIBE x", "LIST \"\" *", "LSUB \"\" *", "STATUS INBOX (MESSAGES)",
                "APPEND INBOX {1+}\r\nx", "CHECK", "CLOSE", "EXPUNGE", "SEARCH ALL", "FETCH 1 FLAGS",
                "STORE 1 +FLAGS (\\Seen)", "COPY 1 INBOX", "UID FETCH 1 FLAGS", "IDLE", "NAMESPACE"}) {
            var r = c.run(cmd);
            assertTrue(r.tagged().matches("a\\d+ BAD .*"), cmd + " -> " + r);
            assertEquals(0, r.untagged().size(), cmd + " -> " + r);
        }
    }

    @Test
    void sec6_selectedCommandsRefusedInAuthenticatedState() throws Exception {
        var c = login();
        for (var cmd : new String[] {"CHECK", "CLOSE", "EXPUNGE", "SEARCH ALL", "FETCH 1 FLAGS",
                "STORE 1 +FLAGS (\\Seen)", "COPY 1 INBOX", "UID FETCH 1 FLAGS", "UID SEARCH ALL",
                "UID STORE 1 FLAGS ()", "UID COPY 1 INBOX", "UID EXPUNGE 1", "MOVE 1 INBOX", "UNSELECT"}) {
            var r = c.run(cmd);
            assertTrue(r.tagged().matches("a\\d+ BAD .*"), cmd + " -> " + r);
        }
    }

    @Test
    void sec6_authenticatedCommandsStillAllowedWhenSelected() throws Exception {
        var c = selected("INBOX");
        c.expectOk("CREATE Other");
        c.expectOk("LIST \"\" *");
        c.expectOk("STATUS Other (MESSAGES)");
        c.expectOk("SUBSCRIBE Other");
        c.expectOk("LSUB \"\" *");
        c.expectOk("UNSUBSCRIBE Other");
        c.expectOk("RENAME Other Other2");
        c.expectOk("DELETE Other2");
        c.expectOk("NAMESPACE");
        assertTrue(c.run("CHECK").ok(), "still selected");
    }

    @Test
    void sec6_4_2_closeReturnsToAuthenticatedState() throws Exception {
        var c = selected("INBOX");
        c.expectOk("CLOSE");
        assertTrue(c.run("FETCH 1 FLAGS").tagged().startsWith("a4 BAD"));
        assertTrue(c.run("CLOSE").tagged().startsWith("a5 BAD"));
    }

    @Test
    void sec6_3_1_failedSelectLeavesSelectedState() throws Exception {
        var c = selected("INBOX");
        var r = c.run("SELECT NoSuchBox");
        assertEquals("a3 NO [NONEXISTENT] Mailbox does not exist.", r.tagged());
        assertTrue(c.run("CHECK").tagged().startsWith("a4 BAD"), "RFC 3501 §6.3.1: no mailbox selected");
    }
}
