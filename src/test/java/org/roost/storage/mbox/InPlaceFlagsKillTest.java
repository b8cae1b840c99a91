package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.MailLocation;

/**
 * A process changing flags in place ({@link FlagChanger}, fsync on) killed with SIGKILL at random points of
 * its changes, again and again: the file stays a valid mbox whose messages read as they were written, each
 * message's flags are the last acknowledged ones or those of the change the kill interrupted, and the next
 * process finishes an interrupted journal (the changes that outgrow the padding).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InPlaceFlagsKillTest {
    @TempDir
    Path dir;

    private static final int MESSAGES = 30;

    @Test
    void killedWhileChangingFlagsLosesNothingAcknowledged() throws Exception {
        var random = new Random(20261207L);
        var location = MailLocation.parse("mbox:" + dir + "/%u");
        var box = new MboxDriver(location, MboxMailboxTest.testOptions()).open("alice").mailbox("INBOX");
        for (int i = 0; i < MESSAGES; i++) {
            MboxMailboxTest.append(box, body(i), Set.of(), Set.of());
        }
        var acknowledged = new HashMap<Long, String>();
        int changes = 0;
        for (int round = 0; round < 8; round++) {
            var inFlight = new String[1];
            changes += runAndKill(random.nextLong(), 1 + random.nextInt(150), acknowledged, inFlight);
            var inbox = dir.resolve("alice/inbox");
            var reopened = new MboxDriver(location, MboxMailboxTest.testOptions()).open("alice").mailbox("INBOX");
            var listed = reopened.scan();
            assertTrue(MboxFileCheck.problems(inbox).isEmpty(), MboxFileCheck.problems(inbox).toString());
            assertEquals(MESSAGES, listed.size(), "round " + round);
            for (int i = 0; i < MESSAGES; i++) {
                var m = listed.get(i);
                assertEquals(body(i).replace("\r\n", "\n"), MboxMailboxTest.read(reopened, m), "round " + round);
                var state = m.uid() + " " + FlagChanger.line(m.flags()) + " " + FlagChanger.line(m.keywords());
                var known = acknowledged.getOrDefault(m.uid(), m.uid() + " [] []");
                assertTrue(state.equals(known) || state.equals(inFlight[0]),
                        "round " + round + ": " + state + " is neither " + known + " nor " + inFlight[0]);
                acknowledged.put(m.uid(), state);
            }
        }
        assertTrue(changes > 100, "the kills came among changes: " + changes);
    }

    private static String body(int i) {
        return "Subject: m" + i + "\r\n\r\n" + "line\r\n".repeat(i) + "From the body\r\n";
    }

    /**
     * Starts a changer, kills it once it acknowledged {@code after} changes (it is then somewhere in the
     * next one), and notes what it acknowledged and what it was trying when killed; the number acknowledged.
     */
    private int runAndKill(long seed, int after, Map<Long, String> acknowledged, String[] inFlight)
            throws IOException, InterruptedException {
        var java = ProcessHandle.current().info().command().orElse("java");
        var log = dir.resolve("changer.log");
        var process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                FlagChanger.class.getName(), dir.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        int done = 0;
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("TRY ")) {
                    inFlight[0] = line.substring(4);
                } else if (line.startsWith("ACK ")) {
                    var state = line.substring(4);
                    acknowledged.put(Long.parseLong(state.substring(0, state.indexOf(' '))), state);
                    inFlight[0] = null;
                    if (++done == after) {
                        // SIGKILL, in the middle of the next change; what it said until then is read to the end
                        process.toHandle().destroyForcibly();
                    }
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        var lock = DotLockFile.lockFileOf(dir.resolve("alice/inbox"));
        assertTrue(done >= after, "the changer stopped after " + done + " changes (dot-lock: "
                + (Files.exists(lock) ? "'" + Files.readString(lock).strip() + "'" : "none") + "): "
                + Files.readString(log));
        return done;
    }
}
