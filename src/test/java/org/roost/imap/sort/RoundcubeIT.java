package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.roost.testing.Roundcube;
import org.roost.testing.TestServer;

/**
 * Debian's Roundcube in headless Chromium against Roost over IMAPS, the way a user works a folder of
 * 300 messages in 60 threads: the list sorted by date, then by subject, the thread view, a thread
 * opened, a search, a flag, a move to Trash, logout. Each time the page's list is compared with what
 * IMAP FETCH says about the same messages (through Angus Mail): the order is worked out here from the
 * fetched Date, Subject, Message-ID and In-Reply-To, never taken from Roost's own SORT or THREAD.
 * Roundcube's IMAP conversation is in target/roundcube/logs/imap.log, a screenshot of the thread view
 * in target/roundcube/thread-view.png.
 */
class RoundcubeIT {
    private static final int THREADS = 60;
    private static final int PER_THREAD = 5;
    private static final int PAGE = 200;
    /** Which earlier message of its thread each message answers: a root, two answers to it, answers to those. */
    private static final int[] PARENT = {-1, 0, 0, 1, 3};
    private static final List<String> TOPICS = List.of("Budget", "Quarterly report", "Holiday plans", "Server move",
            "Lunch", "Release notes", "Hiring", "Office keys", "Printer", "Conference");
    private static final DateTimeFormatter RFC_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final DateTimeFormatter INTERNAL =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT);
    private static final Path OUTPUT = Path.of("target", "roundcube");

    /** What IMAP FETCH says about one message of INBOX. */
    record Fetched(int seq, long uid, Instant sent, String subject, String from, String messageId, String inReplyTo) {
        String baseSubject() {
            return subject.replaceFirst("^(?i)re: ", "").toUpperCase(Locale.ROOT);
        }
    }

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void aUserWorksAThreadedFolderInRoundcube() throws Exception {
        var server = TestServer.shared();
        var user = server.newUser();
        fill(server, user);
        deleteOutput();
        try (var roundcube = Roundcube.start(dir, server.imapsPort()); var store = store(server, user)) {
            try {
                work(roundcube, store, user);
            } finally {
                copyLogs(roundcube);
            }
        }
    }

    private void work(Roundcube roundcube, IMAPStore store, String user) throws Exception {
        var inbox = fetch(store, "INBOX");
        roundcube.login(user, TestServer.PASSWORD);

        // the configured default: by sent date, newest first (Roundcube reverses an ascending SORT)
        shows(roundcube, firstPage(inbox.stream().sorted(Comparator.comparing(Fetched::sent).reversed())),
                roundcube::listedUids, "sorted by date");
        assertEquals(inbox.size(), ((Number) roundcube.script("return rcmail.env.messagecount")).intValue());

        roundcube.listOptions("subject", "ASC", "list");
        shows(roundcube, firstPage(inbox.stream().sorted(Comparator.comparing(Fetched::baseSubject)
                .thenComparingInt(Fetched::seq))), roundcube::listedUids, "sorted by subject");

        roundcube.listOptions("date", "DESC", "threads");
        var threads = threadRows(inbox);
        shows(roundcube, threads, roundcube::listedThreadRows, "thread view: each message with its depth");
        var newestRoot = threads.getFirst().getFirst();
        roundcube.row(newestRoot).findElement(By.cssSelector("[id^=rcmexpando]")).click(); // the thread's arrow
        var members = members(threads, newestRoot);
        roundcube.await(driver -> members.stream().allMatch(uid -> roundcube.row(uid).isDisplayed()));
        roundcube.screenshot(OUTPUT.resolve("thread-view.png"));
        var deepest = members.getLast();
        roundcube.row(deepest).click();
        var shown = roundcube.await(driver -> {
            driver.switchTo().frame("messagecontframe");
            try {
                return driver.findElement(By.cssSelector("h2.subject")).getText();
            } finally {
                driver.switchTo().defaultContent();
            }
        });
        assertTrue(shown.contains(byUid(inbox, deepest).subject()), shown);

        roundcube.listOptions("date", "DESC", "list");
        roundcube.search("quarterly");
        Predicate<Fetched> matches = m -> (m.subject() + " " + m.from()).toLowerCase(Locale.ROOT).contains("quarterly");
        var found = uids(inbox.stream().filter(matches).sorted(Comparator.comparing(Fetched::sent).reversed()).toList());
        shows(roundcube, found, roundcube::listedUids, "search results");
        assertEquals(THREADS / TOPICS.size() * PER_THREAD, found.size());

        var chosen = found.getFirst();
        roundcube.row(chosen).click();
        roundcube.click("a.markmessage");
        roundcube.click("a.flag");
        assertTrue(flags(store, chosen).contains(Flags.Flag.FLAGGED), "flagged over IMAP");

        roundcube.click("a.delete");
        shows(roundcube, false, () -> roundcube.listedUids().contains(chosen), "row still listed after moving it to Trash");
        var messageId = byUid(inbox, chosen).messageId();
        assertFalse(uids(fetch(store, "INBOX")).contains(chosen), "left INBOX");
        assertEquals(List.of(messageId), fetch(store, "Trash").stream().map(Fetched::messageId).toList(), "in Trash");

        roundcube.logout();
        assertTrue(roundcube.browser().findElement(By.id("rcmloginuser")).isDisplayed());
    }

    /** Waits for the page to show {@code expected} (it may still be loading), then compares. */
    private static <T> void shows(Roundcube roundcube, T expected, Supplier<T> shown, String what) {
        try {
            roundcube.await(driver -> expected.equals(shown.get()));
        } catch (TimeoutException e) {
            // the comparison below says how they differ
        }
        assertEquals(expected, shown.get(), what);
    }

    /** 60 threads of 5 with dates spread over a year, appended in a shuffled order. */
    private static void fill(TestServer server, String user) throws IOException {
        var random = new Random(15);
        var messages = new ArrayList<String[]>();
        for (int t = 0; t < THREADS; t++) {
            var topic = TOPICS.get(t % TOPICS.size()) + " " + (t / TOPICS.size() + 1);
            var start = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(600L * random.nextInt(0, 50_000) + t);
            for (int m = 0; m < PER_THREAD; m++) {
                var sent = start.plusSeconds(3_600L * m + 60L * random.nextInt(0, 50));
                var from = "Person " + random.nextInt(1, 20) + " <p" + random.nextInt(1, 20) + "@example.org>";
                var header = new StringBuilder()
                        .append("From: ").append(from).append("\r\n")
                        .append("To: ").append(user).append("@example.org\r\n")
                        .append("Subject: ").append(m == 0 ? "" : "Re: ").append(topic).append("\r\n")
                        .append("Date: ").append(RFC_5322.format(sent.atOffset(ZoneOffset.ofHours(t % 5 - 2))))
                        .append("\r\n")
                        .append("Message-ID: <").append(t).append('.').append(m).append("@roundcube.test>\r\n");
                if (PARENT[m] >= 0) {
                    header.append("In-Reply-To: <").append(t).append('.').append(PARENT[m]).append("@roundcube.test>\r\n");
                }
                header.append("\r\nMessage ").append(m).append(" about ").append(topic).append(".\r\n");
                messages.add(new String[] {INTERNAL.format(sent.plusSeconds(30).atOffset(ZoneOffset.UTC)),
                        header.toString()});
            }
        }
        Collections.shuffle(messages, random);
        try (var client = server.login(user)) {
            for (var m : messages) {
                var response = client.append("INBOX", "\"" + m[0] + "\"", m[1].getBytes(StandardCharsets.UTF_8));
                assertTrue(response.ok(), response.toString());
            }
        }
    }

    private static IMAPStore store(TestServer server, String user) throws MessagingException {
        var properties = new Properties();
        properties.setProperty("mail.imaps.ssl.trust", "*");
        properties.setProperty("mail.imaps.ssl.checkserveridentity", "false");
        var store = (IMAPStore) Session.getInstance(properties).getStore("imaps");
        store.connect("127.0.0.1", server.imapsPort(), user, TestServer.PASSWORD);
        return store;
    }

    private static List<Fetched> fetch(IMAPStore store, String name) throws MessagingException {
        var folder = store.getFolder(name);
        folder.open(Folder.READ_ONLY);
        try {
            var messages = folder.getMessages();
            var profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.ENVELOPE);
            profile.add("In-Reply-To");
            folder.fetch(messages, profile);
            var fetched = new ArrayList<Fetched>();
            for (var message : messages) {
                var mime = (MimeMessage) message;
                fetched.add(new Fetched(message.getMessageNumber(), ((UIDFolder) folder).getUID(message),
                        mime.getSentDate().toInstant(), mime.getSubject(), mime.getFrom()[0].toString(),
                        mime.getMessageID(), mime.getHeader("In-Reply-To", null)));
            }
            return fetched;
        } finally {
            folder.close(false);
        }
    }

    private static Flags flags(IMAPStore store, long uid) throws MessagingException {
        var folder = store.getFolder("INBOX");
        folder.open(Folder.READ_ONLY);
        try {
            return ((UIDFolder) folder).getMessageByUID(uid).getFlags();
        } finally {
            folder.close(false);
        }
    }

    /**
     * The thread view Roundcube builds from THREAD REFERENCES (RFC 5256 §2.4 on these messages: each
     * answers one earlier message, siblings in sent-date order), threads ordered as Roundcube orders them
     * for "date, descending": by their newest message. Rows are [UID, depth].
     */
    private static List<List<Long>> threadRows(List<Fetched> inbox) {
        var byId = new HashMap<String, Fetched>();
        inbox.forEach(m -> byId.put(m.messageId(), m));
        var children = new HashMap<String, List<Fetched>>();
        var roots = new ArrayList<Fetched>();
        for (var m : inbox) {
            if (m.inReplyTo() == null) {
                roots.add(m);
            } else {
                children.computeIfAbsent(m.inReplyTo(), id -> new ArrayList<>()).add(m);
            }
        }
        var newest = new HashMap<Fetched, Instant>();
        for (var root : roots) {
            newest.put(root, flatten(root, 0, children, new ArrayList<>()).stream()
                    .map(row -> byUid(inbox, row.getFirst()).sent()).max(Comparator.naturalOrder()).orElseThrow());
        }
        roots.sort(Comparator.comparing(newest::get).reversed());
        var rows = new ArrayList<List<Long>>();
        roots.forEach(root -> flatten(root, 0, children, rows));
        return rows;
    }

    private static List<List<Long>> flatten(Fetched message, long depth, Map<String, List<Fetched>> children,
            List<List<Long>> rows) {
        rows.add(List.of(message.uid(), depth));
        children.getOrDefault(message.messageId(), List.of()).stream().sorted(Comparator.comparing(Fetched::sent))
                .forEach(child -> flatten(child, depth + 1, children, rows));
        return rows;
    }

    /** The UIDs of the thread whose root is {@code root}, in the view's order. */
    private static List<Long> members(List<List<Long>> rows, long root) {
        var members = new ArrayList<Long>();
        for (var row : rows) {
            if (row.get(1) == 0 && !members.isEmpty()) {
                break;
            }
            if (!members.isEmpty() || row.getFirst() == root) {
                members.add(row.getFirst());
            }
        }
        return members;
    }

    private static Fetched byUid(List<Fetched> messages, long uid) {
        return messages.stream().filter(m -> m.uid() == uid).findFirst().orElseThrow();
    }

    /** A page holds 200 messages (or threads): Roundcube's largest page. */
    private static List<Long> firstPage(Stream<Fetched> sorted) {
        return sorted.limit(PAGE).map(Fetched::uid).toList();
    }

    private static List<Long> uids(List<Fetched> messages) {
        return messages.stream().map(Fetched::uid).toList();
    }

    private static void deleteOutput() throws IOException {
        if (Files.isDirectory(OUTPUT)) {
            try (var files = Files.walk(OUTPUT)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void copyLogs(Roundcube roundcube) throws IOException {
        var logs = Files.createDirectories(OUTPUT.resolve("logs"));
        for (var name : List.of("imap.log", "errors.log", "php-server.log", "chromedriver.log")) {
            if (Files.exists(roundcube.log(name))) {
                Files.copy(roundcube.log(name), logs.resolve(name));
            }
        }
    }
}
