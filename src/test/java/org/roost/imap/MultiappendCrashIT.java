package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.ServerProcess;

/**
 * MULTIAPPEND batches sent to {@code bin/roost serve} (a child process) killed with SIGKILL at seeded random moments,
 * three times, on each storage: afterwards every batch is there whole or not at all (RFC 3502 §6.3.11: "no partial
 * appending"), and every batch that was answered OK is there, as a server that opens what the killed one left
 * shows over IMAP.
 */
@Timeout(600)
class MultiappendCrashIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final int BATCH = 20;
    private static final Pattern BATCH_HEADER = Pattern.compile("X-Batch: (\\d+)");

    @TempDir
    Path dir;
    private Process process;
    private int imapPort;
    private final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maildir", "mbox"})
    void killedMidBatchLeavesEveryBatchWholeOrAbsent(String storage) throws Exception {
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}pw::::::\n");
        try (var socket = new ServerSocket(0)) {
            imapPort = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("roost.yaml"), """
                data: %s
                listeners:
                  imap: {address: 127.0.0.1, port: %d, enabled: true}
                  imaps: {enabled: false}
                admin: {enabled: false}
                auth: {passwdFile: %s}
                mail: {location: "%s:%s/%%u"}
                """.formatted(dir.resolve("data"), imapPort, dir.resolve("passwd"), storage, dir.resolve("mail")));
        var random = new Random(3502);
        for (int round = 0; round < 3; round++) {
            start();
            var stop = new AtomicBoolean();
            int first = round * 100_000;
            var sender = Thread.ofVirtual().start(() -> send(first, new Random(random.nextLong()), stop));
            Thread.sleep(800 + random.nextInt(1500));
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            stop.set(true);
            sender.join();
        }
        assertTrue(acknowledged.size() >= 3, "some batches were stored before each kill: " + acknowledged.size());
        start();
        try (var c = RawImapClient.connect("127.0.0.1", imapPort)) {
            c.greeting();
            c.expectOk("LOGIN alice pw");
            c.expectOk("EXAMINE INBOX");
            var counts = new HashMap<Integer, Integer>();
            for (var line : c.run("FETCH 1:* BODY.PEEK[HEADER.FIELDS (X-Batch)]").untagged()) {
                var m = BATCH_HEADER.matcher(line);
                if (m.find()) {
                    counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                }
            }
            counts.forEach((batch, n) -> assertEquals(BATCH, n, "batch " + batch + " is there in part"));
            for (int batch : acknowledged) {
                assertEquals(BATCH, counts.getOrDefault(batch, 0), "acknowledged batch " + batch);
            }
        }
    }

    private void start() throws Exception {
        process = ServerProcess.start(List.of(PROJECT.resolve("bin/roost").toString(), "serve", "--config",
                dir.resolve("roost.yaml").toString()), dir.resolve("server.log"), imapPort);
    }

    /** Sends batches of {@link #BATCH} messages (each up to 40 kB) until stopped or the server dies. */
    private void send(int first, Random random, AtomicBoolean stop) {
        try (var c = RawImapClient.connect("127.0.0.1", imapPort)) {
            c.greeting();
            c.expectOk("LOGIN alice pw");
            for (int batch = first; !stop.get(); batch++) {
                var command = new StringBuilder("APPEND INBOX");
                for (int i = 0; i < BATCH; i++) {
                    var message = "X-Batch: " + batch + "\r\nSubject: " + i + "\r\n\r\n" + "x".repeat(random.nextInt(40_000))
                            + "\r\n";
                    command.append(" {").append(message.length()).append("+}\r\n").append(message);
                }
                if (c.run(command.toString()).ok()) {
                    acknowledged.add(batch);
                }
            }
        } catch (IOException | RuntimeException serverGone) {
            // killed: a batch not answered was never acknowledged
        }
    }
}
