package org.roost.imap.urlauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;

/**
 * URLAUTH as Python's imaplib sends and parses it: GENURLAUTH by the owner, URLFETCH by another user (also of a
 * ;PARTIAL= range with RFC 5524's BINARY and BODYPARTSTRUCTURE), RESETKEY.
 */
@Timeout(60)
class ImaplibUrlAuthTest {
    @TempDir
    Path dir;

    @Test
    void urlauthThroughImaplib() throws Exception {
        try (var server = UrlAuthServer.start(dir)) {
            try (var joe = UrlAuthServer.login(server, "joe")) {
                assertTrue(joe.append("INBOX", UrlAuthTest.PLAN).ok());
            }
            try (var script = PythonScript.start("imaplib_urlauth.py", "127.0.0.1", String.valueOf(server.imapPort()),
                    UrlAuthServer.PASSWORD)) {
                assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
                assertEquals(List.of(
                        "CAPABILITY True",
                        "GENURLAUTH OK True 42",
                        "URLFETCH OK True b'Si vis pacem, para bellum.\\r\\n' b' \"" + "imap://joe@example.com/INBOX/"
                                + ";uid=1/;section=1.2;urlauth=user+joe:internal:TOKEN\" NIL'",
                        "URL-PARTIAL URLAUTH=BINARY OK [(b'\"imap://joe@example.com/INBOX/;uid=1/;section=1.2/;partial=3.3;"
                                + "urlauth=user+fred:internal:TOKEN\" (BODYPARTSTRUCTURE (\"text\" \"plain\" (\"charset\""
                                + " \"us-ascii\") NIL NIL \"7bit\" 28 1 NIL NIL NIL NIL)) (BINARY {3}', b'vis'), b')']",
                        "RESETKEY OK [b'INTERNAL'] [b'[URLMECH INTERNAL] Key reset.']",
                        "AFTER RESET OK True",
                        "BAD GENURLAUTH command error: BAD [b\"The URL's owner must be the logged-in user.\"]"),
                        script.lines().stream().map(l -> l.replaceAll(":internal:01[0-9a-f]{40}", ":internal:TOKEN")).toList());
            }
        }
    }
}
