package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.Dovecot;
import org.roost.testing.FetchTranscript;
import org.roost.testing.ImapScript;
import org.roost.testing.TestServer;

/**
 * Debian's Dovecot and Roost over the same mbox files, each in turn: what one wrote (UIDs, flags,
 * keywords, dates, bytes, UIDVALIDITY, UIDNEXT) the other serves alike, so users move between them
 * without their clients downloading anything again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotMboxInteropTest {
    @TempDir
    Path dir;

    private Path mail;
    private Dovecot dovecot;
    private TestServer roost;

    @BeforeEach
    void bothServers() throws IOException {
        Dovecot.require();
        mail = dir.resolve("mail/" + TestServer.ALICE);
        Files.createDirectories(mail);
        dovecot = Dovecot.over(mail, "mbox:" + mail + ":INBOX=" + mail.resolve("inbox"), dir);
        roost = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION", "mbox:" + dir.resolve("mail") + "/%u",
                "ROOST_MAIL_FSYNC", "false", "ROOST_LISTENERS_POP3_ENABLED", "true"));
    }

    @AfterEach
    void stop() {
        if (roost != null) {
            roost.close();
        }
    }

    private String roost(List<Object> commands) throws IOException {
        var script = new ArrayList<Object>();
        script.add("l LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
        script.addAll(commands);
        return ImapScript.run(roost.imapPort(), script);
    }

    /** What a client learns of a mailbox: its UIDVALIDITY and UIDNEXT, and every message. */
    private static List<Object> look(String mailbox) {
        return List.of("s STATUS " + mailbox + " (UIDVALIDITY UIDNEXT MESSAGES)", "e EXAMINE " + mailbox,
                FetchTranscript.command("f"), "z LOGOUT");
    }

    private static Object[] append(String tag, String mailbox, String flags, String date, String message) {
        return new Object[] {tag + " APPEND " + mailbox + " (" + flags + ") \"" + date + "\"",
            message.getBytes(StandardCharsets.ISO_8859_1)};
    }

    /** A line of one or more '>' and "From ", the first '>' marked to be dropped. */
    private static final Pattern QUOTED_FROM = Pattern.compile("(?m)^>(?=>*From )");

    private static void assertSame(String mailbox, String dovecotSaw, String roostSaw) {
        assertEquals(FetchTranscript.status(dovecotSaw, "UIDVALIDITY"), FetchTranscript.status(roostSaw, "UIDVALIDITY"),
                mailbox + " UIDVALIDITY\n" + dovecotSaw + "\n" + roostSaw);
        assertEquals(FetchTranscript.status(dovecotSaw, "UIDNEXT"), FetchTranscript.status(roostSaw, "UIDNEXT"),
                mailbox + " UIDNEXT\n" + dovecotSaw + "\n" + roostSaw);
        var d = FetchTranscript.parse(dovecotSaw);
        var r = FetchTranscript.parse(roostSaw);
        assertFalse(d.isEmpty(), dovecotSaw);
        assertEquals(d.keySet(), r.keySet(), mailbox + ": the same UIDs\n" + dovecotSaw + "\n" + roostSaw);
        for (var uid : d.keySet()) {
            var dm = d.get(uid);
            var rm = r.get(uid);
            assertEquals(dm.flags(), rm.flags(), mailbox + " UID " + uid + " flags");
            assertEquals(dm.internalDate(), rm.internalDate(), mailbox + " UID " + uid + " INTERNALDATE");
            // The one difference by design: Dovecot shows a line ">From " as stored, Roost undoes the mboxrd
            // quoting (which it writes), so such a line is one '>' shorter in Roost.
            var unquoted = QUOTED_FROM.matcher(dm.body()).replaceAll("");
            assertEquals(unquoted, rm.body(), mailbox + " UID " + uid + " BODY[]");
            assertEquals(dm.size() - (dm.body().length() - unquoted.length()), rm.size(),
                    mailbox + " UID " + uid + " RFC822.SIZE");
        }
    }

    /** Messages of every kind; lines starting with "From " are quoted by Roost's writes, not by Dovecot's. */
    private static final String PLAIN = "From: a@example.com\r\nSubject: plain\r\n\r\nhello\r\n";
    private static final String FROM_LINES = "Subject: from lines\r\n\r\nFrom here on\r\nFrom x Mon Jan  5 10:00:00 2026\r\n";
    private static final String NO_LINE_END = "Subject: no line end\r\n\r\nlast line";
    private static final String BIG = "Subject: big\r\n\r\n" + "0123456789 abcdefghij\r\n".repeat(4000);
    private static final String HEADER_ONLY = "Subject: only a header\r\n";

    /**
     * A session that writes messages of every kind: a folder {@code other}, five messages in INBOX (the
     * last with {@code lastFlags}, the first with {@code keywords}), one in the folder, UID
     * {@code expunged} expunged, UID {@code flagged} answered with {@code keyword}.
     */
    private static List<Object> everyKind(String other, String lastFlags, String keywords, int expunged, int flagged,
                                          String keyword) {
        return List.of(
                "c CREATE " + other,
                append("a1", "INBOX", "\\Seen " + keywords, "05-Jan-2026 10:00:00 +0000", PLAIN),
                append("a2", "INBOX", "\\Flagged", "05-Jan-2026 11:00:00 +0000", FROM_LINES),
                append("a3", "INBOX", "", "05-Jan-2026 12:00:00 +0000", NO_LINE_END),
                append("a4", "INBOX", "\\Draft", "05-Jan-2026 13:00:00 +0000", BIG),
                append("a5", "INBOX", lastFlags, "05-Jan-2026 14:00:00 +0000", HEADER_ONLY),
                append("a6", other, "\\Seen", "05-Jan-2026 15:00:00 +0000", PLAIN),
                "s SELECT INBOX",
                "t1 UID STORE " + expunged + " +FLAGS (\\Deleted)",
                "t2 UID STORE " + flagged + " +FLAGS (\\Answered " + keyword + ")",
                "x UID EXPUNGE " + expunged,
                "z LOGOUT");
    }

    @Test
    void whatDovecotWroteRoostServesAlike() throws Exception {
        // an MTA delivered one message before any IMAP server looked at the file
        Files.writeString(mail.resolve("inbox"), "From mta@example.com Mon Jan  5 09:00:00 2026\nSubject: by the MTA\n"
                + "Status: RO\n\n>From quoted by the MTA\n\n", StandardCharsets.ISO_8859_1);
        var wrote = dovecot.session(everyKind("Archive/2024", "\\Answered", "$Junk work", 2, 3, "todo"));
        assertTrue(wrote.contains("z OK"), wrote);
        for (var mailbox : List.of("INBOX", "Archive/2024")) {
            assertSame(mailbox, dovecot.session(look(mailbox)), roost(look(mailbox)));
        }
        // and Roost appends after Dovecot's last UID, which Dovecot sees
        var appended = roost(List.of(append("a7", "INBOX", "\\Seen", "06-Jan-2026 10:00:00 +0000", PLAIN), "z LOGOUT"));
        assertTrue(appended.contains("a7 OK [APPENDUID "), appended);
        assertSame("INBOX", dovecot.session(look("INBOX")), roost(look("INBOX")));
    }

    @Test
    void whatRoostWroteDovecotServesAlike() throws Exception {
        var wrote = roost(everyKind("Lists/dev", "", "$Label1", 1, 3, "project-x"));
        assertTrue(wrote.contains("z OK"), wrote);
        for (var mailbox : List.of("INBOX", "Lists/dev")) {
            assertSame(mailbox, dovecot.session(look(mailbox)), roost(look(mailbox)));
        }
        // Dovecot appends and flags; Roost follows
        var more = dovecot.session(List.of(append("a7", "INBOX", "\\Seen", "06-Jan-2026 10:00:00 +0000", PLAIN),
                "s SELECT INBOX", "t UID STORE 4 +FLAGS (\\Seen)", "z LOGOUT"));
        assertTrue(more.contains("a7 OK [APPENDUID "), more);
        assertSame("INBOX", dovecot.session(look("INBOX")), roost(look("INBOX")));
        // flags Roost writes over a block in place (Dovecot's and its own), which Dovecot reads: the file keeps
        // its size, so Dovecot sees the change once the time stamp is in another second than the one it noted
        var noted = FileStamp.of(mail.resolve("inbox"));
        var inPlace = roost(List.of("s SELECT INBOX", "t1 UID STORE 4 +FLAGS (\\Flagged $Label1)",
                "t2 UID STORE 6 +FLAGS (\\Answered)", "t3 UID STORE 3 -FLAGS (\\Answered)", "z LOGOUT"));
        assertTrue(inPlace.contains("t3 OK"), inPlace);
        assertEquals(noted.size(), FileStamp.of(mail.resolve("inbox")).size(), "written in place");
        while (FileStamp.of(mail.resolve("inbox")).modifiedNanos() / 1_000_000_000L
                == noted.modifiedNanos() / 1_000_000_000L) {
            Thread.sleep(5); // polled until Roost moves the time stamp on (at once when the change did)
        }
        assertSame("INBOX", dovecot.session(look("INBOX")), roost(look("INBOX")));
        // expunging everything leaves a pseudo-message both read as an empty mailbox with the same UIDNEXT
        roost(List.of("s SELECT INBOX", "t STORE 1:* +FLAGS.SILENT (\\Deleted)", "x EXPUNGE", "z LOGOUT"));
        var dovecotSaw = dovecot.session(look("INBOX"));
        var roostSaw = roost(look("INBOX"));
        assertTrue(dovecotSaw.contains("MESSAGES 0") && roostSaw.contains("MESSAGES 0"), dovecotSaw + roostSaw);
        assertEquals(FetchTranscript.status(dovecotSaw, "UIDNEXT"), FetchTranscript.status(roostSaw, "UIDNEXT"));
        assertEquals(FetchTranscript.status(dovecotSaw, "UIDVALIDITY"), FetchTranscript.status(roostSaw, "UIDVALIDITY"));
        assertTrue(Files.readString(mail.resolve("inbox"), StandardCharsets.ISO_8859_1)
                .contains("DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA"));
    }

    /**
     * POP3: Dovecot's default UIDLs ({@code %08Xu%08Xv}: UID and UIDVALIDITY) and sizes over the same
     * mbox, so a POP3 client moving between the servers downloads nothing twice; a DELE through Roost is
     * gone for Dovecot.
     */
    @Test
    void pop3StatListAndUidlAreDovecots() throws Exception {
        Files.writeString(mail.resolve("inbox"), "From mta@example.com Mon Jan  5 09:00:00 2026\nSubject: by the MTA\n"
                + "\nhello\n\n", StandardCharsets.ISO_8859_1);
        dovecot.session(List.of(append("a1", "INBOX", "\\Seen", "05-Jan-2026 10:00:00 +0000", PLAIN),
                append("a2", "INBOX", "", "05-Jan-2026 11:00:00 +0000", BIG), "z LOGOUT"));
        roost(List.of(append("a3", "INBOX", "", "05-Jan-2026 12:00:00 +0000", NO_LINE_END), "z LOGOUT"));
        var dovecotSaw = pop3Listing(dovecot.pop3(List.of("STAT", "LIST", "UIDL", "QUIT")));
        var roostSaw = pop3Listing(roostPop3(List.of("STAT", "LIST", "UIDL", "QUIT")));
        assertEquals(4, dovecotSaw.stream().filter(l -> l.startsWith("uidl ")).count(), dovecotSaw.toString());
        assertEquals(dovecotSaw, roostSaw);
        roostPop3(List.of("DELE 2", "QUIT"));
        var after = pop3Listing(dovecot.pop3(List.of("STAT", "LIST", "UIDL", "QUIT")));
        assertEquals(3, after.stream().filter(l -> l.startsWith("uidl ")).count(), after.toString());
        assertEquals(after, pop3Listing(roostPop3(List.of("STAT", "LIST", "UIDL", "QUIT"))));
    }

    /** The STAT figures and the LIST and UIDL lines of a POP3 transcript. */
    private static List<String> pop3Listing(String transcript) {
        var out = new ArrayList<String>();
        String kind = null;
        for (var line : transcript.split("\r\n")) {
            if (line.matches("\\+OK \\d+ \\d+") ) {
                out.add("stat " + line.substring(4));
            } else if (line.equals(".")) {
                kind = null;
            } else if (kind != null) {
                out.add(kind + " " + line);
            } else if (line.startsWith("+OK") && out.stream().noneMatch(l -> l.startsWith("list "))
                    && out.stream().anyMatch(l -> l.startsWith("stat "))) {
                kind = "list";
            } else if (line.startsWith("+OK") && out.stream().anyMatch(l -> l.startsWith("list "))
                    && out.stream().noneMatch(l -> l.startsWith("uidl "))) {
                kind = "uidl";
            }
        }
        return out;
    }

    private String roostPop3(List<String> commands) throws IOException {
        try (var socket = new java.net.Socket("127.0.0.1", roost.server().port("pop3"))) {
            var script = "USER " + TestServer.ALICE + "\r\nPASS " + TestServer.ALICE_PASSWORD + "\r\n"
                    + String.join("\r\n", commands) + "\r\n";
            socket.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
            var all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // the greeting and the answers to USER and PASS come first
            return all.substring(nthLine(all, 3));
        }
    }

    private static int nthLine(String text, int n) {
        int at = 0;
        for (int i = 0; i < n; i++) {
            at = text.indexOf("\r\n", at) + 2;
        }
        return at;
    }

    /** A spool no IMAP server touched, opened by Dovecot first, then served by Roost with Dovecot's UIDs. */
    @Test
    void aForeignSpoolGetsTheSameUidsFromBoth() throws Exception {
        var spool = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            spool.append("From sender").append(i).append("@example.com Mon Jan  5 10:00:").append(String.format("%02d", i))
                    .append(" 2026\nSubject: spool ").append(i).append("\n").append(i % 3 == 0 ? "Status: RO\n" : "")
                    .append("\nbody ").append(i).append("\n\n");
        }
        Files.writeString(mail.resolve("inbox"), spool, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE);
        var dovecotSaw = dovecot.session(look("INBOX"));
        assertSame("INBOX", dovecotSaw, roost(look("INBOX")));
    }
}
