package org.roost.imap.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** METADATA as Python's imaplib sends and parses it: literals, the METADATA data, response codes, RENAME. */
@Timeout(60)
class ImaplibMetadataTest {
    @TempDir
    Path dir;

    @Test
    void annotationsThroughImaplib() throws Exception {
        var env = Map.of("ROOST_METADATA_SERVERADMIN", "mailto:postmaster@example.org");
        try (var server = TestServer.start(dir, env);
             var script = PythonScript.start("imaplib_metadata.py", "127.0.0.1", String.valueOf(server.imapPort()),
                     TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
            assertEquals(List.of(
                    "CAPABILITY True",
                    "SETMETADATA long OK",
                    "SETMETADATA OK",
                    "GETMETADATA OK [(b'\"Projects\" (/private/comment {1500}', b'" + "x".repeat(1500) + "'),"
                            + " b' /shared/comment \"team notes\" /private/none NIL)']",
                    "AFTER RENAME OK [b'\"Archive\" (/shared/comment \"team notes\")']",
                    "MAXSIZE OK [b'LONGENTRIES 1500']",
                    "BAD SETMETADATA command error: BAD [b'Invalid entry name: it must not contain \"//\"']",
                    "SERVER OK [b'\"\" (/shared/admin \"mailto:postmaster@example.org\" /shared/comment NIL)']"), script.lines());
        }
    }
}
