package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.ServerProcess;

/**
 * Durability (DESIGN.md house rules): a server process killed with SIGKILL at random moments under
 * a write-heavy IMAP load (APPEND, STORE, EXPUNGE) loses nothing it acknowledged, keeps every UID,
 * and shows nothing half-written after a restart; and HIGHESTMODSEQ never falls below a MODSEQ a
 * client was shown. Maildir here; {@code MboxCrashRecoveryIT} runs the same load on mbox through
 * {@code bin/roost}.
 */
public class CrashRecoveryTest {
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)]");
    private static final Pattern FETCHED = Pattern.compile(
            "^\\* \\d+ FETCH \\(UID (\\d+) FLAGS \\(([^)]*)\\) BODY\\[HEADER\\.FIELDS \\(SUBJECT\\)] \\{\\d+}\\r\\n"
                    + "Subject: (c\\d+)\\r\\n", Pattern.DOTALL);

    @TempDir
    protected Path dir;

    /** What the clients were told succeeded (and what they merely tried). */
    private final Map<Long, String> acknowledged = new HashMap<>();
    private final Set<Long> flagged = new HashSet<>();
    private final Set<Long> expunged = new HashSet<>();
    private final Set<String> attempted = new HashSet<>();
    /** Expunges sent whose answer may have been lost to the kill: the message may or may not be gone. */
    private final Set<Long> expungeTried = new HashSet<>();
    private long uidValidity;
    /** The highest MODSEQ a client was told of (RFC 7162 §3.1: it never goes back, kill -9 included). */
    private long modseqSeen;
    private static final Pattern MODSEQ = Pattern.compile("MODSEQ[ (]+(\\d+)");

    /** The mail location, {@code %s} standing for the mail directory. */
    protected String location() {
        return "maildir:%s/%%u";
    }

    /** Bytes of body of the messages appended: mbox rewrites move what lies after an expunged message. */
    protected int maxBody() {
        return 3000;
    }

    /** How many times the server is killed. */
    protected int rounds() {
        return 5;
    }

    /** The command that starts the server with {@code config}. */
    protected List<String> command(Path config) {
        var java = ProcessHandle.current().info().command().orElse("java");
        return List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.roost.server.Main", "serve",
                "--config", config.toString());
    }

    /** Checks the mail files themselves after a restart (nothing by default). */
    protected void checkFiles() throws IOException {
    }

    @Test
    void killedServerKeepsEveryAcknowledgedChange() throws Exception {
        var random = new Random(20261128L);
        int port = freePort();
        var config = writeConfig(port);
        int counter = 0;
        for (int round = 0; round < rounds(); round++) {
            var server = start(config, port);
            try {
                verify(port, server);
                long killAfter = 300 + random.nextInt(1200);
                var killer = Thread.ofVirtual().start(() -> {
                    sleep(killAfter);
                    server.destroyForcibly(); // SIGKILL on Linux
                });
                counter = load(port, random, counter);
                killer.join();
            } finally {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
        }
        var server = start(config, port);
        try {
            verify(port, server);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(acknowledged.size() > 20, "the load got some work done: " + acknowledged.size());
    }

    /** Writes until the connection dies; records each change once its tagged OK arrived. */
    private int load(int port, Random random, int counter) {
        try (var client = connect(port)) {
            login(client);
            while (true) {
                int op = random.nextInt(100);
                var live = new ArrayList<Long>(acknowledged.keySet());
                live.removeAll(expunged);
                if (op < 60 || live.isEmpty()) {
                    var subject = "c" + (++counter);
                    attempted.add(subject);
                    var body = "x".repeat(random.nextInt(maxBody()));
                    var message = ("Subject: " + subject + "\r\nFrom: a@b.example\r\n\r\n" + body + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    var r = client.appendAtOnce("INBOX", op % 3 == 0 ? "(\\Seen)" : "()", message);
                    var m = APPENDUID.matcher(r.tagged());
                    if (r.ok() && m.find()) {
                        acknowledged.put(Long.parseLong(m.group(2)), subject);
                    }
                } else if (op < 85) {
                    long uid = live.get(random.nextInt(live.size()));
                    var r = client.run("UID STORE " + uid + " +FLAGS (\\Flagged)");
                    if (r.ok()) {
                        flagged.add(uid);
                        noteModseqs(r);
                    }
                } else {
                    long uid = live.get(random.nextInt(live.size()));
                    expungeTried.add(uid);
                    if (client.run("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)").ok()
                            && client.run("UID EXPUNGE " + uid).ok()) {
                        expunged.add(uid);
                    }
                }
            }
        } catch (IOException killed) {
            return counter;
        }
    }

    /** A client with the long timeout a server that is being killed and restarted needs; greeting read. */
    private static RawImapClient connect(int port) throws IOException {
        var client = RawImapClient.connect("127.0.0.1", port);
        client.timeout(60_000);
        client.greeting();
        return client;
    }

    private void login(RawImapClient client) throws IOException {
        assertTrue(client.run("LOGIN crash secret").ok());
        var select = client.run("SELECT INBOX (CONDSTORE)");
        assertTrue(select.ok(), select.tagged());
        long highest = select.untagged().stream().filter(l -> l.startsWith("* OK [HIGHESTMODSEQ "))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElseThrow();
        assertTrue(highest >= modseqSeen, "HIGHESTMODSEQ " + highest + " below " + modseqSeen + " shown before");
        modseqSeen = highest;
    }

    private void noteModseqs(RawImapClient.Response r) {
        for (var line : r.untagged()) {
            var m = MODSEQ.matcher(line);
            if (m.find()) {
                modseqSeen = Math.max(modseqSeen, Long.parseLong(m.group(1)));
            }
        }
    }

    /** Every acknowledged append is there with its UID and content, flags and expunges held. */
    private void verify(int port, Process server) throws IOException {
        try {
            verifyOnce(port);
            checkFiles();
        } catch (IOException e) {
            throw new AssertionError("server failed after restart: " + e + "\n" + log() + threads(server), e);
        }
    }

    /** The server's threads, virtual ones too, so that a server that stops answering says where it waits. */
    private String threads(Process server) {
        try {
            var jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
            var file = dir.resolve("threads-" + server.pid() + ".txt");
            new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "Thread.dump_to_file", "-format=text",
                    file.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            return "\nthreads:\n" + Files.readString(file);
        } catch (IOException | InterruptedException e) {
            return "\n(no thread dump: " + e + ")";
        }
    }

    private void verifyOnce(int port) throws IOException {
        try (var client = connect(port)) {
            login(client);
            var status = client.run("STATUS INBOX (UIDVALIDITY)");
            var validity = Long.parseLong(status.untagged().getFirst().replaceAll(".*UIDVALIDITY (\\d+).*", "$1"));
            if (uidValidity == 0) {
                uidValidity = validity;
            }
            assertEquals(uidValidity, validity, "UIDVALIDITY kept");
            var fetch = client.run("UID FETCH 1:* (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertTrue(fetch.ok(), fetch.tagged());
            var present = new HashMap<Long, String>();
            var presentFlags = new HashMap<Long, String>();
            for (var line : fetch.untagged()) {
                if (!line.contains(" FETCH ")) {
                    continue;
                }
                var m = FETCHED.matcher(line);
                assertTrue(m.find(), "a whole message with one of our subjects: " + line);
                long uid = Long.parseLong(m.group(1));
                assertTrue(attempted.contains(m.group(3)), "only messages we wrote: " + line);
                assertEquals(null, present.put(uid, m.group(3)), "UID shown once");
                presentFlags.put(uid, m.group(2));
            }
            assertEquals(present.size(), new HashSet<>(present.values()).size(), "no message twice");
            for (var entry : acknowledged.entrySet()) {
                long uid = entry.getKey();
                if (expunged.contains(uid)) {
                    assertFalse(present.containsKey(uid), "acknowledged expunge of " + uid + " held");
                    continue;
                }
                if (!present.containsKey(uid) && expungeTried.contains(uid)) {
                    expunged.add(uid); // its UID EXPUNGE got through, the answer did not
                    continue;
                }
                assertEquals(entry.getValue(), present.get(uid), "acknowledged append keeps UID " + uid);
                if (flagged.contains(uid)) {
                    assertTrue(presentFlags.get(uid).contains("\\Flagged"), "acknowledged STORE of " + uid + " held");
                }
            }
            // Unacknowledged appends that made it are kept from now on like acknowledged ones.
            present.forEach((uid, subject) -> {
                if (!acknowledged.containsKey(uid)) {
                    acknowledged.put(uid, subject);
                }
                if (presentFlags.get(uid).contains("\\Flagged")) {
                    flagged.add(uid);
                }
            });
        }
    }

    private Path writeConfig(int port) throws IOException {
        var passwd = dir.resolve("passwd");
        Files.writeString(passwd, "crash:{PLAIN}secret::::::\n");
        var config = dir.resolve("roost.yaml");
        Files.writeString(config, """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: %d, enabled: true}
                  imaps: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3: {address: 127.0.0.1, port: 0, enabled: false}
                  pop3s: {address: 127.0.0.1, port: 0, enabled: false}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                mail: {location: "%s", fsync: true}
                """.formatted(dir.resolve("data"), port, passwd, location().formatted(dir.resolve("mail"))));
        return config;
    }

    private Process start(Path config, int port) throws IOException, InterruptedException {
        return ServerProcess.start(command(config), dir.resolve("server.log"), port);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static {
        assertNotNull(CrashRecoveryTest.class);
    }
}
