package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.roost.testing.TestServer;

/**
 * The RFC 3501 scenarios through Python's imaplib (folders, APPEND/FETCH byte round-trip of the
 * corpus, flags, SEARCH, COPY, EXPUNGE with two sessions, IDLE): src/test/resources/imap/imaplib_session.py,
 * run as a subprocess.
 */
class PythonImaplibTest extends EveryStorageTestBase {

    @Test
    void imaplibSessionPasses() throws Exception {
        var script = Path.of("src/test/resources/imap/imaplib_session.py").toAbsolutePath();
        var corpus = Path.of("src/test/resources/mime/corpus").toAbsolutePath();
        var output = Files.createTempFile("imaplib", ".txt");
        var process = new ProcessBuilder(List.of("python3", script.toString(), Integer.toString(server.imapPort()),
                user, TestServer.PASSWORD, corpus.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean finished = process.waitFor(90, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        var text = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        assertTrue(finished, "imaplib session timed out:\n" + text);
        assertEquals(0, process.exitValue(), text);
        assertTrue(text.strip().endsWith("done"), text);
        assertTrue(text.contains("ok fetch BODY[] round trip of 28 corpus messages"), text);
    }
}
