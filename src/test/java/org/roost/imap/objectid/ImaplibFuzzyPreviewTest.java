package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.roost.imap.objectid.ObjectIdTest.login;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** SNIPPET=FUZZY and PREVIEW=FUZZY as Python's imaplib asks and reads them. */
@Timeout(60)
class ImaplibFuzzyPreviewTest {
    @TempDir
    Path dir;

    @Test
    void fuzzyPreviewsThroughImaplib() throws Exception {
        try (var server = TestServer.start(dir)) {
            try (var c = login(server)) {
                c.append("INBOX", "()", "Subject: a\r\n\r\nPlain words.\r\n".getBytes(StandardCharsets.US_ASCII));
                c.append("INBOX", "()", "Content-Type: text/plain; charset=utf-8\r\n\r\nCaf\u00e9 \"noir\"\r\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
            try (var script = PythonScript.start("imaplib_fuzzy_preview.py", "127.0.0.1",
                    String.valueOf(server.imapPort()), TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
                assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
                assertEquals(List.of("CAPABILITY True True",
                        "(SNIPPET (FUZZY)) OK [b'1 (SNIPPET (FUZZY \"Plain words.\"))', (b'2 (SNIPPET (FUZZY {12}',"
                                + " b'Caf\\xc3\\xa9 \"noir\"'), b'))']",
                        "(PREVIEW (FUZZY)) OK [b'1 (PREVIEW (FUZZY \"Plain words.\"))', (b'2 (PREVIEW (FUZZY {12}',"
                                + " b'Caf\\xc3\\xa9 \"noir\"'), b'))']",
                        "(PREVIEW) OK [b'1 (PREVIEW \"Plain words.\")', (b'2 (PREVIEW {12}', b'Caf\\xc3\\xa9 \"noir\"'),"
                                + " b')']",
                        "(SNIPPET (LAZY) UID) OK [b'1 (SNIPPET (FUZZY \"Plain words.\") UID 1)', (b'2 (SNIPPET (FUZZY"
                                + " {12}', b'Caf\\xc3\\xa9 \"noir\"'), b') UID 2)']"),
                        script.lines());
            }
        }
    }
}
