package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.objectid.ObjectIdTest.deleteIndexFiles;
import static org.roost.imap.objectid.ObjectIdTest.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.TestServer;

/**
 * SAVEDATE (RFC 8514) byte for byte: the save date of a message delivered by another program (the seconds its
 * Maildir name starts with), of an APPEND (now, whatever internal date it was given), of a COPY (now, while the
 * source keeps its own), unchanged by a rebuilt index; the SAVED* search keys and SAVEDATESUPPORTED; and mbox,
 * which keeps no save dates: NIL, and the SAVED* keys on the internal date (§4.3).
 */
class SaveDateTest {
    /** 2015-01-01T17:50:53Z, the RFC's example date. */
    private static final long DELIVERED = 1_420_134_653L;
    private static final Pattern DATES = Pattern.compile("\\* 1 FETCH \\(INTERNALDATE (\"[^\"]+\") SAVEDATE (\"[^\"]+\")\\)");
    private static final DateTimeFormatter SEARCH_DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT);

    @TempDir
    Path dir;

    @Test
    void saveDatesComeFromTheMaildirNameAndAreNewForAppendsAndCopies() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            var cur = server.maildir(TestServer.ALICE).resolve("cur");
            Files.createDirectories(cur);
            var delivered = Files.writeString(cur.resolve(DELIVERED + ".M1P2.elsewhere:2,S"), "Subject: old\r\n\r\nx\r\n");
            Files.setLastModifiedTime(delivered, FileTime.from(Instant.ofEpochSecond(DELIVERED)));
            c.append("INBOX", "() \"01-Jan-2015 18:50:53 +0100\"", "Subject: new\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            c.expectOk("create foo");
            c.expectOk("select inbox");
            var first = c.command("1", "fetch 1 (internaldate savedate)");
            var dates = DATES.matcher(first.getFirst());
            assertTrue(dates.matches(), first.toString());
            assertEquals(dates.group(1), dates.group(2), "saved when delivered: the name's seconds, the file's mtime");
            var appended = c.command("2", "fetch 2 (internaldate savedate)").getFirst();
            assertTrue(appended.startsWith("* 2 FETCH (INTERNALDATE \"01-Jan-2015 "), appended);
            var today = LocalDate.now(ZoneId.systemDefault());
            assertTrue(appended.contains("SAVEDATE \"" + day(today)) || appended.contains("SAVEDATE \"" + day(today.minusDays(1))),
                    appended); // (just after midnight the append may be yesterday's)
            String old = "1-Jan-2015";
            assertEquals(List.of("* SEARCH 1", "3 OK SEARCH completed."), c.command("3", "search savedon " + old));
            assertEquals(List.of("* SEARCH 1 2", "4 OK SEARCH completed."), c.command("4", "search on " + old));
            assertEquals(List.of("* SEARCH 1", "5 OK SEARCH completed."), c.command("5", "search savedbefore 2-Jan-2015"));
            assertEquals(List.of("* SEARCH 2", "6 OK SEARCH completed."), c.command("6", "search savedsince 2-Jan-2015"));
            assertEquals(List.of("* SEARCH 1 2", "7 OK SEARCH completed."), c.command("7", "search savedatesupported"));
            assertEquals(List.of("* SEARCH", "8 OK SEARCH completed."), c.command("8", "search not savedatesupported"));
            c.expectOk("copy 1 foo");
            assertEquals(first, c.command("1", "fetch 1 (internaldate savedate)"), "the source keeps its save date");
            c.expectOk("select foo");
            var copy = c.command("9", "fetch 1 (internaldate savedate)").getFirst();
            var copied = DATES.matcher(copy);
            assertTrue(copied.matches(), copy);
            assertEquals(dates.group(1), copied.group(1), "a copy keeps its internal date");
            assertNotEquals(dates.group(2), copied.group(2), "but is saved anew (RFC 8514 §3)");
        }
        assertTrue(deleteIndexFiles(dir) > 0);
        try (var server = TestServer.start(dir); var c = login(server)) {
            c.expectOk("select inbox");
            assertEquals(List.of("* SEARCH 1", "3 OK SEARCH completed."), c.command("3", "search savedon 1-Jan-2015"));
            var dates = DATES.matcher(c.command("1", "fetch 1 (internaldate savedate)").getFirst());
            assertTrue(dates.matches() && dates.group(1).equals(dates.group(2)));
        }
    }

    @Test
    void aNameWithoutSecondsIsSavedAtItsInternalDate() throws IOException {
        try (var server = TestServer.start(dir); var c = login(server)) {
            var cur = server.maildir(TestServer.ALICE).resolve("cur");
            Files.createDirectories(cur);
            var named = Files.writeString(cur.resolve("procmail-message:2,"), "Subject: odd\r\n\r\nx\r\n");
            Files.setLastModifiedTime(named, FileTime.from(Instant.ofEpochSecond(DELIVERED)));
            c.expectOk("select inbox");
            var dates = DATES.matcher(c.command("1", "fetch 1 (internaldate savedate)").getFirst());
            assertTrue(dates.matches() && dates.group(1).equals(dates.group(2)));
        }
    }

    @Test
    void mboxKeepsNoSaveDatesSoTheKeysUseTheInternalDate() throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION",
                "mbox:" + dir.resolve("mbox").toAbsolutePath() + "/%u")); var c = login(server)) {
            c.append("INBOX", "() \"01-Jan-2015 18:50:53 +0100\"", "Subject: new\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            c.expectOk("select inbox");
            assertEquals(List.of("* 1 FETCH (SAVEDATE NIL)", "1 OK FETCH completed."), c.command("1", "fetch 1 savedate"));
            assertEquals(List.of("* SEARCH", "2 OK SEARCH completed."), c.command("2", "search savedatesupported"));
            assertEquals(List.of("* SEARCH 1", "3 OK SEARCH completed."), c.command("3", "search savedon 1-Jan-2015"));
        }
    }

    /**
     * The database store keeps each message's save date in its row: an APPEND's is now whatever its internal date,
     * a COPY's is its own, and a second replica on the same database shows the same ones (no replica's clock or
     * index decides them).
     */
    @Test
    void theDatabaseKeepsSaveDatesForEveryReplica() throws IOException {
        var environment = MailDatabaseServers.shared().environment();
        try (var server = TestServer.start(dir.resolve("one"), environment); var c = login(server)) {
            c.append("INBOX", "() \"01-Jan-2015 18:50:53 +0100\"", "Subject: new\r\n\r\ny\r\n".getBytes(StandardCharsets.US_ASCII));
            c.expectOk("create foo");
            c.expectOk("select inbox");
            c.expectOk("copy 1 foo");
            var appended = c.command("1", "fetch 1 (internaldate savedate)").getFirst();
            var dates = DATES.matcher(appended);
            assertTrue(dates.matches(), appended);
            var today = LocalDate.now(ZoneId.systemDefault());
            assertTrue(dates.group(2).startsWith("\"" + day(today)) || dates.group(2).startsWith("\"" + day(today.minusDays(1))),
                    appended); // (just after midnight the append may be yesterday's)
            assertEquals(List.of("* SEARCH 1", "2 OK SEARCH completed."), c.command("2", "search savedatesupported"));
            assertEquals(List.of("* SEARCH", "3 OK SEARCH completed."), c.command("3", "search savedon 1-Jan-2015"));
            assertEquals(List.of("* SEARCH 1", "4 OK SEARCH completed."), c.command("4", "search on 1-Jan-2015"));
            c.expectOk("select foo");
            var copy = DATES.matcher(c.command("5", "fetch 1 (internaldate savedate)").getFirst());
            assertTrue(copy.matches() && copy.group(1).equals(dates.group(1)), "a copy keeps its internal date");
            try (var other = TestServer.start(dir.resolve("two"), environment); var d = login(other)) {
                d.expectOk("select inbox");
                assertEquals(appended, d.command("1", "fetch 1 (internaldate savedate)").getFirst());
            }
        }
    }

    private static String day(LocalDate date) {
        return String.format(Locale.ROOT, "%02d-%s", date.getDayOfMonth(), SEARCH_DATE.format(date).split("-")[1]);
    }
}
