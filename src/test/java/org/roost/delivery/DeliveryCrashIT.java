package org.roost.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.ServerProcess;
import org.roost.testing.TestServer;

/**
 * A delivery storm against {@code bin/roost serve} (a child process) killed with SIGKILL at seeded random
 * moments, three times: afterwards every message whose delivery was acknowledged (250 after the data) is in
 * its recipient's INBOX exactly once, and no message is there in part (each ends with its own last line).
 * Unacknowledged messages may or may not be there, whole. Checked both in the files and over IMAP by a server
 * that opens the index files the killed one left. Bob's Sieve script files everything into {@code Filed}, flagged
 * (a copy of its own, not a link to alice's), so a script cannot lose or double mail either.
 */
@Timeout(600)
class DeliveryCrashIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final List<String> USERS = List.of("alice", "bob");
    /** Where each user's mail goes: alice has no script, bob's files everything. */
    private static final Map<String, String> MAILBOX = Map.of("alice", "INBOX", "bob", "Filed");
    private static final int SENDERS = 4;
    private static final Pattern STORM_ID = Pattern.compile("Message-ID: <([a-z]+-[0-9-]+)@storm>");

    @TempDir
    Path dir;
    private Process process;
    private int lmtpPort;
    /** Message id -> users whose delivery of it was acknowledged. */
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void killedDuringAStormLosesNothingAcknowledgedAndShowsNothingPartial() throws Exception {
        var bobHome = Files.createDirectories(dir.resolve("bob/sieve"));
        Files.writeString(bobHome.resolve("filing.sieve"),
                "require [\"fileinto\", \"mailbox\", \"imap4flags\"];\nfileinto :create :flags \"\\\\Flagged\" \"Filed\";\n");
        Files.createSymbolicLink(dir.resolve("bob/.dovecot.sieve"), Path.of("sieve/filing.sieve"));
        configure("alice:{PLAIN}pw::::::\nbob:{PLAIN}pw::::" + dir.resolve("bob") + "::\n");
        var random = new Random(2033);
        for (int round = 0; round < 3; round++) {
            start();
            var stop = new AtomicBoolean();
            var senders = new ArrayList<Thread>();
            for (int s = 0; s < SENDERS; s++) {
                long seed = random.nextLong();
                int sender = round * SENDERS + s;
                senders.add(Thread.ofVirtual().start(() -> storm(sender, new Random(seed), stop)));
            }
            Thread.sleep(400 + random.nextInt(1500));
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            stop.set(true);
            for (var t : senders) {
                t.join();
            }
        }
        assertTrue(acknowledged.size() > 10, "the storm delivered something before each kill: " + acknowledged.size());
        for (var user : USERS) {
            checkFiles(user);
            checkOverImap(user);
        }
    }

    private void configure(String passwd) throws IOException {
        Files.writeString(dir.resolve("passwd"), passwd);
        try (var socket = new ServerSocket(0)) {
            lmtpPort = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("roost.yaml"), """
                data: %s
                listeners:
                  imap: {enabled: false}
                  imaps: {enabled: false}
                  lmtp: {address: 127.0.0.1, port: %d, enabled: true}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                """.formatted(dir.resolve("data"), lmtpPort, dir.resolve("passwd")));
    }

    /**
     * One delivery stores its message twice (a flagged copy filed into {@code Filed}, then the keep into INBOX, each
     * written in full) and the server is killed once the first store is made, before its reply; the MTA's retry of
     * the same message then makes only the store still missing, so each mailbox holds the message once. Repeated a
     * few times, as an MTA would keep retrying, so the kill falls at different points of the second store.
     */
    @Test
    void killedBetweenTheStoresOfOneDeliveryTheRetryStoresNothingTwice() throws Exception {
        var carol = Files.createDirectories(dir.resolve("carol/sieve"));
        Files.writeString(carol.resolve("twice.sieve"), """
                require ["fileinto", "mailbox", "imap4flags"];
                fileinto :create :flags "\\Flagged" "Filed";
                keep;
                """);
        Files.createSymbolicLink(dir.resolve("carol/.dovecot.sieve"), Path.of("sieve/twice.sieve"));
        configure("carol:{PLAIN}pw::::" + dir.resolve("carol") + "::\n");
        var maildir = dir.resolve("data/mail/carol");
        int cut = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            var id = "cut-" + attempt;
            var message = ("Message-ID: <" + id + "@storm>\r\n\r\n" + ("y".repeat(998) + "\r\n").repeat(48_000)
                    + "last line of " + id + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long journalLines = journalLines();
            start();
            var reply = Thread.ofVirtual().start(() -> lmtpOnce(message, id));
            awaitFirstStore(maildir.resolve(".Filed"), id, journalLines);
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            reply.join();
            if (!acknowledged.containsKey(id)) {
                cut++;
                start();
                lmtpOnce(message, id); // the MTA's retry
                assertTrue(acknowledged.containsKey(id), "the retry is delivered");
                process.destroyForcibly();
                assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            }
            for (var mailbox : List.of(maildir.resolve(".Filed"), maildir)) {
                assertEquals(1, copies(mailbox).getOrDefault(id, 0), mailbox + " holds " + id + " once");
            }
        }
        assertTrue(cut > 0, "a kill fell between the stores and the reply");
    }

    /** Sends one message to carol over a connection of its own, noting it acknowledged on a 250 reply. */
    private void lmtpOnce(byte[] message, String id) {
        try (var socket = new Socket("127.0.0.1", lmtpPort)) {
            socket.setSoTimeout(120_000);
            var out = socket.getOutputStream();
            var in = socket.getInputStream();
            reply(in);
            out.write("LHLO mta\r\nMAIL FROM:<s@x.y>\r\nRCPT TO:<carol@x.y>\r\nDATA\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 4; i++) {
                reply(in);
            }
            out.write(message);
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            if (reply(in).startsWith("250 ")) {
                acknowledged.put(id, Set.of("carol"));
            }
        } catch (IOException serverGone) {
            // killed before its reply: not acknowledged, as the MTA sees it
        }
    }

    /**
     * Waits until the message is in {@code mailbox} and its store is complete: noted in the delivery journal, or,
     * where there is none, given time for the store's commit.
     */
    private void awaitFirstStore(Path mailbox, String id, long journalLines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!copies(mailbox).containsKey(id)) {
            assertTrue(System.nanoTime() < deadline, "the first store of " + id + " was never made");
            Thread.sleep(1);
        }
        long grace = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < grace && journalLines() <= journalLines) {
            Thread.sleep(1);
        }
    }

    private long journalLines() throws IOException {
        var journal = dir.resolve("carol/.roost-delivery-journal");
        return Files.isRegularFile(journal) ? Files.readAllLines(journal).size() : 0;
    }

    /** The messages of a Maildir's cur/ and new/ by storm id; a file without an id (not yet written) is skipped. */
    private static Map<String, Integer> copies(Path maildir) throws IOException {
        var counts = new HashMap<String, Integer>();
        for (var sub : List.of("cur", "new")) {
            if (!Files.isDirectory(maildir.resolve(sub))) {
                continue;
            }
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                for (var file : files.toList()) {
                    try (var in = Files.newInputStream(file)) {
                        var head = new String(in.readNBytes(2000), StandardCharsets.ISO_8859_1);
                        var m = STORM_ID.matcher(head);
                        if (m.find()) {
                            counts.merge(m.group(1), 1, Integer::sum);
                        }
                    } catch (NoSuchFileException goneMeanwhile) {
                        // renamed or rolled back while listed
                    }
                }
            }
        }
        return counts;
    }

    private void start() throws Exception {
        process = ServerProcess.start(List.of(PROJECT.resolve("bin/roost").toString(), "serve", "--config",
                dir.resolve("roost.yaml").toString()), dir.resolve("server.log"), lmtpPort);
    }

    /** Sends messages over one connection after another until stopped or the server dies. */
    private void storm(int sender, Random random, AtomicBoolean stop) {
        int n = 0;
        while (!stop.get()) {
            try (var socket = new Socket("127.0.0.1", lmtpPort)) {
                socket.setSoTimeout(30_000);
                var out = socket.getOutputStream();
                var in = socket.getInputStream();
                reply(in);
                out.write("LHLO storm\r\n".getBytes(StandardCharsets.US_ASCII));
                reply(in);
                while (!stop.get()) {
                    var id = "storm-" + sender + "-" + (n++);
                    var body = "x".repeat(random.nextInt(200_000)) + "\r\n";
                    out.write(("MAIL FROM:<s@x.y>\r\nRCPT TO:<alice@x.y>\r\nRCPT TO:<bob@x.y>\r\nDATA\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 4; i++) {
                        reply(in);
                    }
                    out.write(("Message-ID: <" + id + "@storm>\r\n\r\n" + body + "last line of " + id + "\r\n.\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    for (var user : USERS) {
                        if (reply(in).startsWith("250 ")) {
                            acknowledged.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(user);
                        }
                    }
                }
            } catch (IOException serverGone) {
                return; // killed: the replies not read were never acknowledged
            }
        }
    }

    private static String reply(InputStream in) throws IOException {
        var line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b == '\n') {
                var text = line.toString();
                if (text.length() > 3 && text.charAt(3) == '-') {
                    line.setLength(0);
                    continue;
                }
                return text;
            }
            line.append((char) b);
        }
    }

    /** Every file in cur/ and new/ is a whole message; each acknowledged id is there exactly once. */
    private void checkFiles(String user) throws IOException {
        var counts = new HashMap<String, Integer>();
        var maildir = dir.resolve("data/mail").resolve(user);
        if (!MAILBOX.get(user).equals("INBOX")) {
            maildir = maildir.resolve("." + MAILBOX.get(user));
        }
        for (var sub : List.of("cur", "new")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                for (var file : files.toList()) {
                    var text = Files.readString(file, StandardCharsets.ISO_8859_1);
                    var id = text.replaceFirst("(?s).*Message-ID: <(storm-[0-9]+-[0-9]+)@storm>.*", "$1");
                    assertTrue(text.endsWith("last line of " + id + "\r\n"), "partial message " + file);
                    counts.merge(id, 1, Integer::sum);
                }
            }
        }
        acknowledged.forEach((id, users) -> {
            if (users.contains(user)) {
                assertEquals(1, counts.getOrDefault(id, 0), user + ": acknowledged " + id);
            }
        });
        counts.forEach((id, count) -> assertEquals(1, count, user + ": " + id + " twice"));
    }

    /** A server opening what the killed one left sees the same: no acknowledged message missing or doubled. */
    private void checkOverImap(String user) throws Exception {
        Files.createDirectories(dir.resolve("verify-" + user));
        try (var server = TestServer.start(dir.resolve("verify-" + user), Map.of(
                "ROOST_AUTH_PASSWDFILE", dir.resolve("passwd").toString(),
                "ROOST_MAIL_LOCATION", "maildir:" + dir.resolve("data/mail") + "/%u"));
                var imap = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            imap.greeting();
            imap.command("l", "LOGIN " + user + " pw");
            imap.command("s", "EXAMINE " + MAILBOX.get(user));
            var ids = new HashMap<String, Integer>();
            for (var line : imap.command("f", "FETCH 1:* (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")) {
                if (line.startsWith("Message-ID: <")) {
                    ids.merge(line, 1, Integer::sum);
                }
            }
            acknowledged.forEach((id, users) -> {
                if (users.contains(user)) {
                    assertEquals(1, ids.getOrDefault("Message-ID: <" + id + "@storm>", 0), user + " over IMAP: " + id);
                }
            });
            ids.forEach((id, count) -> assertEquals(1, count, user + " over IMAP: " + id));
        }
    }
}
