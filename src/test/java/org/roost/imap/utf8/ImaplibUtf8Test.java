package org.roost.imap.utf8;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** UTF8=ACCEPT as Python's imaplib enables and uses it, beside a session that does not. */
@Timeout(60)
class ImaplibUtf8Test {

    @Test
    void utf8MailboxNamesThroughImaplib() throws Exception {
        var server = TestServer.shared();
        var user = server.newUser();
        try (var script = PythonScript.start("imaplib_utf8.py", "127.0.0.1", String.valueOf(server.imapPort()), user,
                TestServer.PASSWORD)) {
            assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
            assertEquals(List.of(
                    "CAPABILITY True",
                    "ENABLE ('OK', [b'ENABLE completed.']) True",
                    "CREATE OK",
                    "LIST ('OK', [(b'(\\\\HasNoChildren) \".\" {9}', b'Entw\\xc3\\xbcrfe'), b''])",
                    "SELECT OK [b'0']",
                    "LEGACY LIST ('OK', [b'(\\\\HasNoChildren) \".\" Entw&APw-rfe'])",
                    "LEGACY SELECT OK"), script.lines());
        }
    }
}
