package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.ImapDates;
import org.roost.testing.TestServer;

/**
 * A Maildir that other programs wrote (Courier's {@code ,S=} names without {@code W=}, procmail's
 * names without any size, names whose sizes lie), served to Python's imaplib and poplib: the first
 * SELECT opens no message file, RFC822.SIZE, STATUS SIZE, SEARCH LARGER/SMALLER and POP3's LIST are
 * exact (RFC 3501 §6.4.5: RFC822.SIZE is the size in RFC 5322 form, with CRLF line ends; RFC 1939
 * §5), each message is read once to measure it, and not again after a restart.
 */
class ForeignMaildirOverImapTest {
    private static final int MESSAGES = 60;
    private static final long THRESHOLD = 700;

    @TempDir
    Path dir;
    private TestServer server;
    /** RFC822.SIZE of each message in UID order (UIDs follow the delivery times in the names). */
    private final List<Long> sizes = new ArrayList<>();
    /** The internal date (the file's mtime) of each message in UID order, in epoch seconds. */
    private final List<Long> dates = new ArrayList<>();
    /** How many of them the names state believably: those are never read to be measured. */
    private int stated;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start() throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_MAIL_LOCATION", "maildir:" + dir.resolve("mail") + "/%u",
                "ROOST_LISTENERS_POP3_ENABLED", "true"));
    }

    /** Writes seeded messages into alice's Maildir, named as assorted other programs name them. */
    private void foreignMaildir() throws IOException {
        var cur = dir.resolve("mail").resolve(TestServer.ALICE).resolve("cur");
        Files.createDirectories(cur);
        var random = new Random(20261206L);
        for (int i = 0; i < MESSAGES; i++) {
            var text = new ByteArrayOutputStream();
            text.writeBytes(("Subject: message " + i + "\nFrom: mda@example.org\n\n").getBytes(StandardCharsets.US_ASCII));
            var lineEnd = i % 3 == 0 ? "\r\n" : "\n";
            for (int line = random.nextInt(30); line >= 0; line--) {
                text.writeBytes(("text " + "y".repeat(random.nextInt(70)) + lineEnd).getBytes(StandardCharsets.US_ASCII));
            }
            var bytes = text.toByteArray();
            long size = bytes.length;
            long virtual = size + IntStream.range(0, bytes.length)
                    .filter(k -> bytes[k] == '\n' && (k == 0 || bytes[k - 1] != '\r')).count();
            var base = (1_700_000_000L + i) + ".M" + i + "P" + (100 + i);
            var name = switch (i % 6) {
                case 0 -> base + "V0000000000000803I0000000000A1B2C_0.courier,S=" + size + ":2,S"; // Courier
                case 1 -> base + ".procmail:2,";                                                // no size
                case 2 -> base + ".liar,S=" + (size + 1000) + ":2,F";                            // S= lies
                case 3 -> base + ".liar,S=" + size + ",W=1:2,";                                   // W= lies
                case 4 -> base + ".dovecot,W=" + virtual + ",S=" + size + ":2,S";                 // both true
                default -> base + ".mutt";                                                        // no info part
            };
            Files.write(cur.resolve(name), bytes);
            long date = 800_000_000L + random.nextInt(950_000_000); // 1995 to 2025, in no order
            Files.setLastModifiedTime(cur.resolve(name), FileTime.from(Instant.ofEpochSecond(date)));
            dates.add(date);
            sizes.add(virtual);
            stated += i % 6 == 4 ? 1 : 0;
        }
    }

    private List<String> python(String mode, int port, String user, String password) throws Exception {
        return python(mode, port, user, password, Long.toString(THRESHOLD));
    }

    private List<String> python(String mode, int port, String user, String password, String argument) throws Exception {
        var script = Path.of("src/test/resources/maildir/foreign_sizes.py").toAbsolutePath();
        var process = new ProcessBuilder("python3", script.toString(), mode, Integer.toString(port), user, password,
                argument).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    private List<String> imap(String mode) throws Exception {
        return python(mode, server.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD);
    }

    /**
     * What the {@code dates} mode must print for the files' mtimes: each date through both of FETCH's
     * paths, then SEARCH SINCE, BEFORE and ON {@code day}, which fall on days of the server's zone
     * (RFC 3501 §6.4.4).
     */
    private List<String> expectedDates(LocalDate day) {
        var lines = new ArrayList<String>();
        lines.add("exists " + MESSAGES);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < MESSAGES; i++) {
                lines.add("date " + (i + 1) + " " + dates.get(i));
            }
        }
        lines.add("search SINCE " + uidsWhere(i -> !dayOf(i).isBefore(day)));
        lines.add("search BEFORE " + uidsWhere(i -> dayOf(i).isBefore(day)));
        lines.add("search ON " + uidsWhere(i -> dayOf(i).equals(day)));
        return lines;
    }

    private LocalDate dayOf(int i) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(dates.get(i)), ZoneId.systemDefault());
    }

    /**
     * The first SELECT lists the folder and stats no message file (Dovecot neither); the internal
     * dates, the files' mtimes, are looked up once, when a command first asks for them, and kept.
     */
    @Test
    void theFirstSelectStatsNoMessageAndEveryInternalDateIsTheFilesLookedUpOnce() throws Exception {
        foreignMaildir();
        start();
        long stats = FileStats.messageStats();
        long opens = MaildirMailbox.messageOpens();
        assertEquals(List.of("exists " + MESSAGES), imap("select"));
        assertEquals(stats, FileStats.messageStats(), "the first SELECT stat'ed message files");
        assertEquals(opens, MaildirMailbox.messageOpens(), "the first SELECT opened message files");

        var day = dayOf(7);
        var argument = day.format(DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH));
        assertEquals(expectedDates(day), imapWith("dates", argument));
        assertEquals(stats + MESSAGES, FileStats.messageStats(), "each file stat'ed once");
        assertEquals(opens + MESSAGES, MaildirMailbox.messageOpens(), "and read once, for its Subject field");
        assertEquals(expectedDates(day), imapWith("dates", argument));
        assertEquals(stats + MESSAGES, FileStats.messageStats());
        assertEquals(opens + MESSAGES, MaildirMailbox.messageOpens());
        server.close();
        start();
        assertEquals(expectedDates(day), imapWith("dates", argument));
        assertEquals(stats + MESSAGES, FileStats.messageStats(), "not again, nor after a restart");
    }

    /**
     * WITHIN's OLDER and YOUNGER (RFC 5032 §3) compare the internal date too: as the first command
     * they look up the files' mtimes like SINCE and BEFORE do.
     */
    @Test
    void olderAndYoungerAsTheFirstCommandLookUpTheInternalDates() throws Exception {
        foreignMaildir();
        start();
        var sorted = dates.stream().sorted().toList();
        long cutoff = (sorted.get(MESSAGES / 2 - 1) + sorted.get(MESSAGES / 2)) / 2;
        long seconds = Instant.now().getEpochSecond() - cutoff;
        assertEquals(List.of("exists " + MESSAGES,
                        "search OLDER " + uidsWhere(i -> dates.get(i) <= cutoff),
                        "search YOUNGER " + uidsWhere(i -> dates.get(i) >= cutoff)),
                imapWith("within", Long.toString(seconds)));
    }

    /**
     * SORT as the first command orders by what the listing left unknown: ARRIVAL and DATE (no Date:
     * field, so the internal date, RFC 5256 §2.2) by the files' mtimes, SIZE by the virtual sizes;
     * ties by sequence number.
     */
    @Test
    void sortAsTheFirstCommandLooksUpTheDatesAndSizesItOrdersBy() throws Exception {
        foreignMaildir();
        start();
        var byDate = uidsOrderedBy(dates);
        assertEquals(List.of("exists " + MESSAGES, "sort ARRIVAL " + byDate, "sort DATE " + byDate,
                "sort SIZE " + uidsOrderedBy(sizes)), imap("sort"));
    }

    private String uidsOrderedBy(List<Long> values) {
        return IntStream.range(0, MESSAGES).boxed()
                .sorted(Comparator.comparing(values::get).thenComparing(i -> i))
                .map(i -> Integer.toString(i + 1)).collect(Collectors.joining(" "));
    }

    private List<String> imapWith(String mode, String argument) throws Exception {
        return python(mode, server.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD, argument);
    }

    /** What the {@code sizes} mode must print for the oracle's sizes. */
    private List<String> expectedSizes() {
        var lines = new ArrayList<String>();
        lines.add("exists " + MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            lines.add("size " + (i + 1) + " " + sizes.get(i));
        }
        lines.add("status INBOX (MESSAGES " + MESSAGES + " SIZE " + sizes.stream().mapToLong(Long::longValue).sum() + ")");
        lines.add("search LARGER " + uidsWhere(i -> sizes.get(i) > THRESHOLD));
        lines.add("search SMALLER " + uidsWhere(i -> sizes.get(i) < THRESHOLD));
        return lines;
    }

    /** The UIDs of the messages whose index passes {@code test}. */
    private String uidsWhere(IntPredicate test) {
        return IntStream.range(0, MESSAGES).filter(test).mapToObj(i -> Integer.toString(i + 1))
                .collect(Collectors.joining(" "));
    }

    @Test
    void theFirstSelectReadsNoMessageAndEverySizeIsExactAndMeasuredOnce() throws Exception {
        foreignMaildir();
        start();
        long before = MaildirMailbox.messageOpens();
        assertEquals(List.of("exists " + MESSAGES), imap("select"));
        assertEquals(before, MaildirMailbox.messageOpens(), "the first SELECT opened message files");

        assertEquals(expectedSizes(), imap("sizes"));
        assertEquals(before + MESSAGES - stated, MaildirMailbox.messageOpens(),
                "each message whose name states no believable size is read once, the others not at all");
        assertEquals(expectedSizes(), imap("sizes"));
        assertEquals(before + MESSAGES - stated, MaildirMailbox.messageOpens(), "not measured again");

        server.close();
        start();
        assertEquals(expectedSizes(), imap("sizes"));
        assertEquals(before + MESSAGES - stated, MaildirMailbox.messageOpens(), "nor after a restart");

        assertEquals(expectedBodies(), imap("bodies"));
        var mailboxes = admin("/admin/users/alice/mailboxes");
        assertTrue(mailboxes.contains("\"size\":" + sizes.stream().mapToLong(Long::longValue).sum()), mailboxes);
    }

    /** What the {@code bodies} mode must print: RFC822.SIZE is the length of BODY[], as computed from the file. */
    private List<String> expectedBodies() {
        var lines = new ArrayList<String>();
        lines.add("exists " + MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            lines.add("body " + (i + 1) + " " + sizes.get(i) + " " + sizes.get(i));
        }
        return lines;
    }

    private String admin(String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN).build();
        var response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @Test
    void aWholeBodyFetchedFirstHasTheLengthRfc822SizeSaysAfterwards() throws Exception {
        foreignMaildir();
        start();
        assertEquals(expectedBodies(), imap("bodies"));
    }

    @Test
    void theAdminApiMeasuresTheMailboxSizeItReports() throws Exception {
        foreignMaildir();
        start();
        long before = MaildirMailbox.messageOpens();
        var mailboxes = admin("/admin/users/alice/mailboxes");
        assertTrue(mailboxes.contains("\"size\":" + sizes.stream().mapToLong(Long::longValue).sum()), mailboxes);
        assertEquals(before + MESSAGES - stated, MaildirMailbox.messageOpens());
    }

    /** A file another program deleted after SELECT cannot be measured: its line is left out, and the command says why. */
    @Test
    void aMessageWhoseFileVanishedBeforeItWasMeasuredIsReportedAsExpunged() throws Exception {
        foreignMaildir();
        start();
        try (var client = server.imap()) {
            client.greeting();
            client.command("a", "LOGIN alice \"wonder land\"");
            client.command("b", "SELECT INBOX");
            try (var files = Files.list(dir.resolve("mail/alice/cur"))) {
                for (var file : files.filter(f -> f.getFileName().toString().startsWith("1700000001.")).toList()) {
                    Files.delete(file); // message 2, named by procmail: no size stated
                }
            }
            var lines = client.command("c", "FETCH 1:3 (RFC822.SIZE)");
            assertEquals(List.of("* 1 FETCH (RFC822.SIZE " + sizes.get(0) + ")",
                    "* 3 FETCH (RFC822.SIZE " + sizes.get(2) + ")",
                    "c NO [EXPUNGEISSUED] Some of the requested messages no longer exist."), lines);
        }
    }

    /**
     * A message another session expunged is still shown here (RFC 3501 §7.4.1) and its file is held
     * (RFC 2180 §4.1.1): its size, never measured before, is measured from the held file, and its date
     * is the held file's.
     */
    @Test
    void aMessageAnotherSessionExpungedIsMeasuredFromItsHeldFile() throws Exception {
        foreignMaildir();
        start();
        try (var reader = server.imap(); var expunger = server.imap()) {
            for (var client : List.of(reader, expunger)) {
                client.greeting();
                client.command("a", "LOGIN alice \"wonder land\"");
                client.command("b", "SELECT INBOX");
            }
            expunger.command("c", "STORE 2 +FLAGS.SILENT (\\Deleted)"); // procmail's: no size stated
            assertEquals(List.of("* 2 EXPUNGE", "d OK EXPUNGE completed."), expunger.command("d", "EXPUNGE"));
            assertEquals(List.of("* 1 FETCH (RFC822.SIZE " + sizes.get(0) + ")",
                    "* 2 FETCH (RFC822.SIZE " + sizes.get(1) + ")",
                    "* 3 FETCH (RFC822.SIZE " + sizes.get(2) + ")", "e OK FETCH completed."),
                    reader.command("e", "FETCH 1:3 (RFC822.SIZE)"));
            assertEquals(List.of("* 2 FETCH (INTERNALDATE \"" + ImapDates.formatDateTime(Instant.ofEpochSecond(dates.get(1)))
                    + "\")", "g OK FETCH completed."), reader.command("g", "FETCH 2 (INTERNALDATE)"),
                    "its date, looked up as it was expunged");
            assertEquals("* 2 EXPUNGE", reader.command("f", "NOOP").getFirst());
        }
    }

    /**
     * What else other programs and hands leave in cur/: a named pipe (opening it would wait for a
     * writer for ever), a symbolic link to a file outside the Maildir, a file named by hand without a
     * delivery time. The first SELECT counts all three without looking at them; the pipe and the link
     * are never opened and answer as expunged (RFC 2180 §4.1.2), the hand-named file is served.
     */
    @Test
    @Timeout(60)
    void aPipeAndALinkListedAsMessagesAreNeverOpenedAndAHandNamedFileIsServed() throws Exception {
        foreignMaildir();
        var cur = dir.resolve("mail").resolve(TestServer.ALICE).resolve("cur");
        var mkfifo = new ProcessBuilder("mkfifo", cur.resolve("1700000100.M1P1.fifo:2,").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        var secret = Files.writeString(dir.resolve("secret"), "not for alice\r\n");
        Files.createSymbolicLink(cur.resolve("1700000101.M1P1.link:2,"), secret);
        var handWritten = "Subject: by hand\r\n\r\nhello\r\n";
        Files.writeString(cur.resolve("notes-by-hand"), handWritten); // no number: delivered last
        start();
        long opens = MaildirMailbox.messageOpens();
        try (var client = server.imap()) {
            client.greeting();
            client.command("a", "LOGIN alice \"wonder land\"");
            assertTrue(client.command("b", "SELECT INBOX").contains("* " + (MESSAGES + 3) + " EXISTS"));
            int pipe = MESSAGES + 1;
            int link = MESSAGES + 2;
            int hand = MESSAGES + 3;
            var expunged = "NO [EXPUNGEISSUED] Some of the requested messages no longer exist.";
            assertEquals(List.of("* " + hand + " FETCH (RFC822.SIZE " + handWritten.length() + ")", "c " + expunged),
                    client.command("c", "FETCH " + pipe + ":" + hand + " (RFC822.SIZE)"));
            assertEquals(List.of("d " + expunged), client.command("d", "FETCH " + pipe + " BODY[]"));
            assertEquals(List.of("e " + expunged), client.command("e", "FETCH " + link + " (INTERNALDATE BODY[])"));
            assertEquals(List.of("* " + hand + " FETCH (BODY[] {" + handWritten.length() + "}", "Subject: by hand", "",
                    "hello", ")", "f OK FETCH completed."), client.command("f", "FETCH " + hand + " BODY.PEEK[]"));
        }
        assertEquals(opens + 2, MaildirMailbox.messageOpens(), "the hand-named file, measured then fetched; nothing else");
    }

    @Test
    void pop3ListsExactSizesOfAMaildirOthersWrote() throws Exception {
        foreignMaildir();
        start();
        var lines = python("pop3", server.server().port("pop3"), TestServer.ALICE, TestServer.ALICE_PASSWORD);
        assertEquals("stat " + MESSAGES + " " + sizes.stream().mapToLong(Long::longValue).sum(), lines.getFirst());
        for (int i = 0; i < MESSAGES; i++) {
            // poplib counts a RETR's octets with CRLF line ends, after dot-unstuffing: the message as sent
            assertEquals("list " + (i + 1) + " " + sizes.get(i) + " " + sizes.get(i), lines.get(i + 1));
        }
    }
}
