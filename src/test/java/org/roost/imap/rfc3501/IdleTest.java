package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** RFC 2177 IDLE: changes made by another session are pushed while idling. */
class IdleTest extends EveryStorageTestBase {

    @Test
    void rfc2177_idleReceivesAppendFromAnotherSession() throws Exception {
        var a = selected("INBOX");
        a.write("i1 IDLE\r\n");
        assertEquals("+ idling", a.readResponse());
        var b = login();
        assertTrue(b.append("INBOX", message("pushed", "x")).ok());
        assertEquals("* 1 EXISTS", a.readResponse());
        assertEquals("* 1 RECENT", a.readResponse());
        b.expectOk("SELECT INBOX");
        b.expectOk("STORE 1 +FLAGS.SILENT (\\Flagged)");
        assertEquals("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Recent))", a.readResponse());
        b.expectOk("STORE 1 +FLAGS.SILENT (\\Deleted)");
        a.readResponse();
        b.expectOk("EXPUNGE");
        assertEquals("* 1 EXPUNGE", a.readResponse());
        a.write("DONE\r\n");
        assertEquals("i1 OK IDLE terminated.", a.readResponse());
        assertTrue(a.run("NOOP").ok());
    }

    @Test
    void rfc2177_idleInAuthenticatedStateAndBadTermination() throws Exception {
        var a = login();
        a.write("i1 IDLE\r\n");
        assertEquals("+ idling", a.readResponse());
        a.write("NOTDONE\r\n");
        assertTrue(a.readResponse().startsWith("i1 BAD"));
        assertTrue(a.run("NOOP").ok());
    }
}
