package org.roost.imap.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * APPEND keeps every internal date RFC 3501's grammar allows ({@code date-year = 4DIGIT}, any zone)
 * as the instant given: FETCH INTERNALDATE names it and SEARCH BEFORE/ON/SINCE find it by the day
 * FETCH shows, also after a restart (the index holds it; the file's mtime is only a hint). An
 * impossible calendar date is a syntax error. Found from outside: years 2999, 1900 and 0001 came
 * back as 2106-02-07 or 1970-01-01, and 31-Feb-2020 as 29-Feb.
 *
 * <p>The server shows internal dates in its zone; these tests set it (UTC, then Kolkata) for
 * their duration.
 */
class InternalDateRoundTripTest {
    /** The date appended, and the INTERNALDATE the server then shows in UTC. */
    private static final List<String[]> DATES = List.of(
            new String[] {"01-Jan-0001 00:00:00 +0000", "01-Jan-0001 00:00:00 +0000"},
            new String[] {"01-Jan-1900 12:00:00 +0000", "01-Jan-1900 12:00:00 +0000"},
            new String[] {"31-Dec-1969 23:59:59 +0000", "31-Dec-1969 23:59:59 +0000"},
            new String[] {"19-Jan-2038 03:14:08 +0000", "19-Jan-2038 03:14:08 +0000"},
            new String[] {"07-Feb-2106 06:28:16 +0000", "07-Feb-2106 06:28:16 +0000"},
            new String[] {"01-Jan-2999 00:00:00 +0000", "01-Jan-2999 00:00:00 +0000"},
            new String[] {"31-Dec-9999 23:59:59 +0000", "31-Dec-9999 23:59:59 +0000"},
            new String[] {"01-Jan-2000 00:30:00 +0100", "31-Dec-1999 23:30:00 +0000"},
            new String[] {" 1-Jan-2000 00:00:00 -1400", "01-Jan-2000 14:00:00 +0000"},
            new String[] {"29-Feb-2020 10:00:00 +0530", "29-Feb-2020 04:30:00 +0000"},
            // the earliest and latest instants the grammar can name: shown in the zone that keeps the year in 0000-9999
            new String[] {"01-Jan-0000 00:00:00 +1800", "01-Jan-0000 00:00:00 +1800"},
            new String[] {"31-Dec-9999 23:59:59 -1800", "31-Dec-9999 23:59:59 -1800"});

    @TempDir
    Path dir;
    TestServer server;
    RawImapClient client;
    TimeZone savedZone;

    @BeforeEach
    void start() throws IOException {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        server = TestServer.start(dir);
        client = login();
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        TimeZone.setDefault(savedZone);
    }

    private RawImapClient login() throws IOException {
        var c = server.imap();
        c.greeting();
        assertTrue(c.tagged("l", "LOGIN alice \"wonder land\"").startsWith("l OK"));
        return c;
    }

    private String append(String date) throws IOException {
        var message = "Subject: dated\r\n\r\nx\r\n";
        return client.command("a", "APPEND INBOX \"" + date + "\" {" + message.length() + "+}\r\n" + message).getLast();
    }

    private List<String> fetchedDates() throws IOException {
        var lines = client.command("f", "FETCH 1:* (INTERNALDATE)");
        assertEquals("f OK FETCH completed.", lines.getLast());
        return lines.subList(0, lines.size() - 1);
    }

    private List<String> expectedFetch() {
        var out = new ArrayList<String>();
        for (int i = 0; i < DATES.size(); i++) {
            out.add("* " + (i + 1) + " FETCH (INTERNALDATE \"" + DATES.get(i)[1] + "\")");
        }
        return out;
    }

    private String search(String criteria) throws IOException {
        var lines = client.command("s", "SEARCH " + criteria);
        assertEquals("s OK SEARCH completed.", lines.getLast(), criteria);
        return lines.getFirst();
    }

    @Test
    void everyDateOfTheGrammarComesBackAsGiven() throws IOException {
        for (var date : DATES) {
            assertTrue(append(date[0]).startsWith("a OK [APPENDUID "), date[0]);
        }
        assertTrue(client.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertEquals(expectedFetch(), fetchedDates());
        assertEquals("* 1 FETCH (UID 1 INTERNALDATE \"01-Jan-0001 00:00:00 +0000\")",
                client.command("u", "UID FETCH 1 (INTERNALDATE)").getFirst(), "UID FETCH: the other path");
        assertEquals("* 1 FETCH (INTERNALDATE \"01-Jan-0001 00:00:00 +0000\" BODY[] {21}",
                client.command("b", "FETCH 1 (INTERNALDATE BODY.PEEK[])").getFirst(), "with a body: the general path");

        assertEquals("* SEARCH 1", search("ON 1-Jan-0001"));
        assertEquals("* SEARCH 1 2 3 11", search("BEFORE 1-Jan-1970"));
        assertEquals("* SEARCH 1 2 11", search("BEFORE 31-Dec-1969"));
        assertEquals("* SEARCH 3", search("ON 31-Dec-1969"));
        assertEquals("* SEARCH 4", search("ON 19-Jan-2038"));
        assertEquals("* SEARCH 5 6 7 12", search("SINCE 7-Feb-2106"));
        assertEquals("* SEARCH 6 7 12", search("SINCE 8-Feb-2106"));
        assertEquals("* SEARCH 6", search("ON 1-Jan-2999"));
        assertEquals("* SEARCH 7 12", search("ON 31-Dec-9999"));
        assertEquals("* SEARCH 8", search("ON 31-Dec-1999"));
        assertEquals("* SEARCH 9", search("ON 1-Jan-2000"));
        assertEquals("* SEARCH 10", search("ON 29-Feb-2020"));
        assertEquals("* SEARCH 11", search("ON 1-Jan-0000"));
        assertEquals("* SEARCH 4 5 8 9 10", search("SINCE 1-Jan-1970 BEFORE 1-Jan-2999"));

        client.tagged("o", "LOGOUT");
        server.close();
        server = TestServer.start(dir);
        client = login();
        assertTrue(client.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertEquals(expectedFetch(), fetchedDates(), "read back from the index after a restart");
    }

    /** The same round trip through Python's imaplib, an independent client (its own APPEND date formatting too). */
    @Test
    void pythonImaplibReadsBackTheDatesItAppended() throws Exception {
        var script = Path.of(getClass().getResource("/imaplib_dates.py").toURI());
        var command = new ArrayList<>(List.of("python3", script.toString(), "127.0.0.1",
                Integer.toString(server.imapPort()), TestServer.ALICE, TestServer.ALICE_PASSWORD));
        command.addAll(List.of("01-Jan-0001 00:00:00 +0000", "01-Jan-1900 12:00:00 +0000", "01-Jan-2999 00:00:00 +0000",
                "31-Dec-9999 23:59:59 +0000", " 1-Jan-2000 00:00:00 -1400"));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(List.of(
                "APPEND OK", "APPEND OK", "APPEND OK", "APPEND OK", "APPEND OK", "APPEND OK",
                "APPEND-IMPOSSIBLE APPEND command error: BAD [b'Invalid date-time: 31-Feb-2020 00:00:00 +0000']",
                "FETCH 1 (INTERNALDATE \"01-Jan-0001 00:00:00 +0000\")",
                "FETCH 2 (INTERNALDATE \"01-Jan-1900 12:00:00 +0000\")",
                "FETCH 3 (INTERNALDATE \"01-Jan-2999 00:00:00 +0000\")",
                "FETCH 4 (INTERNALDATE \"31-Dec-9999 23:59:59 +0000\")",
                "FETCH 5 (INTERNALDATE \"01-Jan-2000 14:00:00 +0000\")",
                "FETCH 6 (INTERNALDATE \"20-Jul-1969 20:17:40 +0000\")",
                "SEARCH ON 1-Jan-0001 -> 1", "SEARCH BEFORE 1-Jan-1970 -> 1 2 6", "SEARCH SINCE 1-Jan-2107 -> 3 4",
                "SEARCH ON 20-Jul-1969 -> 6", "SEARCH ON 31-Dec-9999 -> 4"), output);
        assertEquals(0, process.exitValue());
    }

    /** Where the file system can hold it, the file's mtime is the internal date (a hint for a rebuild). */
    @Test
    void theFileMtimeIsTheInternalDateWhereTheFileSystemHoldsIt() throws IOException {
        assertTrue(append("19-Jan-2038 03:14:08 +0000").startsWith("a OK"));
        try (var files = Files.walk(dir.resolve("data"))) {
            var message = files.filter(p -> p.getParent().getFileName().toString().equals("cur")).findFirst().orElseThrow();
            assertEquals(Instant.parse("2038-01-19T03:14:08Z").getEpochSecond(),
                    Files.getLastModifiedTime(message).to(TimeUnit.SECONDS));
        }
    }

    /** §9: date-time names a real calendar day and time; anything else is a syntax error (BAD), nothing stored. */
    @Test
    void impossibleDatesAreRefused() throws IOException {
        for (var date : List.of("31-Feb-2020 00:00:00 +0000", "29-Feb-2021 00:00:00 +0000", "31-Apr-2020 00:00:00 +0000",
                "00-Jan-2020 00:00:00 +0000", "01-Jan-2020 24:00:00 +0000", "01-Jan-2020 23:60:00 +0000",
                "01-Jan-2020 23:59:60 +0000", "01-Jan-2020 00:00:00 +0060", "01-Jan-2020 00:00:00 +2359",
                "01-Jan-20 00:00:00 +0000", "01-Jan-12020 00:00:00 +0000")) {
            assertTrue(append(date).startsWith("a BAD Invalid date-time"), date);
        }
        assertTrue(client.tagged("n", "NOOP").startsWith("n OK"), "the literal was read and skipped");
        assertEquals("s OK [READ-WRITE] SELECT completed.", client.tagged("s", "SELECT INBOX"));
        assertEquals("e OK SEARCH completed.", client.command("e", "SEARCH ALL").getLast());
        assertEquals("* SEARCH", client.command("e", "SEARCH ALL").getFirst(), "nothing was stored");
        assertTrue(client.tagged("b", "SEARCH SINCE 31-Feb-2020").startsWith("b BAD Invalid date"));
        assertTrue(append("29-Feb-2020 00:00:00 +0000").startsWith("a OK"));
    }

    /**
     * In a zone whose offset had seconds (Kolkata, +05:21:10 in 1900), INTERNALDATE shows the
     * offset in whole minutes and moves the time with it, so the text still names the instant given.
     */
    @Test
    void offsetsWithSecondsNameTheSameInstant() throws IOException {
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        assertTrue(append("01-Jan-1900 12:00:00 +0000").startsWith("a OK"));
        assertTrue(append("01-Jul-2020 12:00:00 +0000").startsWith("a OK"));
        assertTrue(client.tagged("s", "SELECT INBOX").startsWith("s OK"));
        assertEquals(List.of("* 1 FETCH (INTERNALDATE \"01-Jan-1900 17:21:00 +0521\")",
                "* 2 FETCH (INTERNALDATE \"01-Jul-2020 17:30:00 +0530\")"), fetchedDates());
    }
}
