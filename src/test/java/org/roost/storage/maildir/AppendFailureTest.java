package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An append that fails after its file reached cur/ (the uid list could not be written) leaves no message
 * behind: the caller was told it failed, and an MTA that tries again must not deliver it twice. The failure
 * is real: dovecot-uidlist is made immutable (chattr +i), which even root cannot write.
 */
class AppendFailureTest {
    @TempDir
    Path root;

    @Test
    void aMessageWhoseUidCannotBeRecordedIsNotLeftVisible() throws Exception {
        var inbox = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(root).mailbox("INBOX");
        inbox.append(new ByteArrayInputStream("Subject: 1\r\n\r\nx\r\n".getBytes()), Set.of(), Set.of(), Instant.now());
        var uidList = root.resolve("dovecot-uidlist");
        Assumptions.assumeTrue(chattr("+i", uidList), "chattr +i needs root on a file system with attributes");
        try {
            assertThrows(IOException.class, () -> inbox.append(new ByteArrayInputStream(
                    "Subject: 2\r\n\r\ny\r\n".getBytes()), Set.of(), Set.of(), Instant.now()));
        } finally {
            chattr("-i", uidList);
        }
        try (var cur = Files.list(root.resolve("cur")); var tmp = Files.list(root.resolve("tmp"))) {
            assertEquals(1, cur.count());
            assertEquals(0, tmp.count());
        }
        assertEquals(1, inbox.scan().size());
    }

    private static boolean chattr(String flag, Path file) throws Exception {
        try {
            var process = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException noChattr) {
            return false;
        }
    }
}
