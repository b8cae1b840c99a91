package org.roost.imap.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * I18NLEVEL=1 (RFC 5255 §4.3) over IMAP, byte for byte: advertised once authenticated; SEARCH's string keys
 * compare with i;unicode-casemap (RFC 5051, §4.6), with UTF-8 as the SEARCH charset (§4.2), in headers and
 * bodies alike: case does not count, diacritics do, titlecase and compatibility mappings apply.
 */
@Timeout(60)
class I18nLevelTest {
    @TempDir
    Path dir;

    private static String search(RawImapClient c, String key, String needle) throws IOException {
        byte[] utf8 = needle.getBytes(StandardCharsets.UTF_8);
        var tag = c.nextTag();
        c.send(tag + " UID SEARCH CHARSET UTF-8 " + key + " {" + utf8.length + "+}\r\n" + needle);
        var answer = c.readUntilTagged(tag);
        assertTrue(answer.ok(), answer.toString());
        return answer.untagged().getFirst();
    }

    @Test
    void searchComparesWithUnicodeCasemap() throws IOException {
        try (var server = TestServer.start(dir); var c = server.imap()) {
            c.greeting();
            assertFalse(c.expectOk("CAPABILITY").untagged().getFirst().contains("I18NLEVEL"));
            c.expectOk("LOGIN alice \"wonder land\"");
            assertTrue(List.of(c.expectOk("CAPABILITY").untagged().getFirst().split(" ")).contains("I18NLEVEL=1"));
            c.append("INBOX", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n\r\nnothing\r\n");
            c.append("INBOX", "", ("Subject: letters\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
                    + "\u01c6emal \ud801\udc28 \ufb01ne Zoe\u0308\r\n").getBytes(StandardCharsets.UTF_8));
            c.expectOk("SELECT INBOX");
            assertEquals("* SEARCH 1", search(c, "SUBJECT", "K\u00d6LN"));
            assertEquals("* SEARCH 1", search(c, "SUBJECT", "k\u00f6ln"));
            assertEquals("* SEARCH", search(c, "SUBJECT", "koln"), "the diaeresis counts");
            assertEquals("* SEARCH 2", search(c, "BODY", "\u01c4EMAL"), "U+01C4, U+01C5 and U+01C6 are one");
            assertEquals("* SEARCH 2", search(c, "BODY", "\ud801\udc00"), "Deseret, beyond the BMP");
            assertEquals("* SEARCH 2", search(c, "TEXT", "\ufb01NE"));
            assertEquals("* SEARCH", search(c, "BODY", "FINE"), "the ligature titlecases to itself, then decomposes to f, i");
            assertEquals("* SEARCH 2", search(c, "BODY", "zo\u00cb"), "precomposed finds decomposed");
            assertEquals("* SEARCH", search(c, "BODY", "zoe "), "the mark follows the e");
        }
    }
}
