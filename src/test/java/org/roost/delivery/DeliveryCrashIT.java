package org.roost.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}pw::::::\nbob:{PLAIN}pw::::" + dir.resolve("bob")
                + "::\n");
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
