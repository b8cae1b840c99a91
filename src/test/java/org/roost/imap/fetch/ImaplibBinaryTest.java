package org.roost.imap.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** Python's imaplib with BINARY (RFC 3516): a literal8 APPEND of 100 KB of random bytes, fetched back decoded. */
class ImaplibBinaryTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void binaryThroughImaplib(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir);
             var script = PythonScript.start("imap/imaplib_binary.py", "127.0.0.1", Integer.toString(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals("CAPS True", script.nextLine());
            assertEquals("APPEND OK", script.nextLine());
            assertEquals("SIZE 1 (BINARY.SIZE[2] 100000)", script.nextLine());
            var binary = script.nextLine();
            var expected = script.nextLine();
            assertEquals("1 (BINARY[2] ~{100000} " + expected.substring("EXPECTED ".length()),
                    binary.substring("BINARY ".length()));
            assertEquals(0, script.exitCode(), script.lines().toString());
        }
    }
}
