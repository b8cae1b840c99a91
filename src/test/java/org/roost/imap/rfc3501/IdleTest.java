package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;

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

    /**
     * What an idle session costs: no thread of its own besides its session thread (a parked virtual
     * thread's stack lives in the heap). Pushes run on threads of their own only while they push,
     * so some thread dump of the next seconds shows fewer pushing threads than idlers; one per
     * idler the whole time is what it must not be.
     */
    @Test
    void idlersHoldNoPushingThreadWhileNothingChanges(@TempDir Path dir) throws Exception {
        int idlers = 20;
        var clients = new ArrayList<RawImapClient>();
        for (int i = 0; i < idlers; i++) {
            var c = selected("INBOX");
            c.write("i1 IDLE\r\n");
            assertEquals("+ idling", c.readResponse());
            clients.add(c);
        }
        var diagnostics = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        var pushing = Pattern.compile("\"name\"\\s*:\\s*\"idle-push\"");
        long fewest = Long.MAX_VALUE;
        for (int dump = 0; dump < 50 && fewest >= idlers; dump++) {
            Path file = dir.resolve("threads-" + dump + ".json");
            diagnostics.dumpThreads(file.toString(), ThreadDumpFormat.JSON);
            fewest = Math.min(fewest, pushing.matcher(Files.readString(file)).results().count());
            Thread.sleep(100);
        }
        assertTrue(fewest < idlers, "fewest pushing threads seen: " + fewest + " for " + idlers + " idlers");
        for (var c : clients) {
            c.write("DONE\r\n");
            assertEquals("i1 OK IDLE terminated.", c.readResponse());
        }
    }
}
