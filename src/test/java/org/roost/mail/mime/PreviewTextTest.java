package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What RFC 8970 §3.3 asks of a preview, and hostile messages that must stay cheap. */
class PreviewTextTest {

    private static String preview(String message, int maxChars) throws IOException {
        return preview(message.getBytes(StandardCharsets.UTF_8), maxChars);
    }

    private static String preview(byte[] message, int maxChars) throws IOException {
        var structure = MessageStructure.parse(new ByteArrayInputStream(message));
        return PreviewText.of(structure, new ByteArrayInputStream(message), maxChars);
    }

    @Test
    void plainTextIsFoldedAndCutToTheLimit() throws IOException {
        var text = "Lorem ipsum dolor sit amet,\r\n  consectetur\tadipiscing elit.\r\n\r\n" + "word ".repeat(100);
        var made = preview("Subject: a\r\n\r\n" + text, 200);
        assertEquals(200, made.length());
        assertTrue(made.startsWith("Lorem ipsum dolor sit amet, consectetur adipiscing elit. word word"), made);
        assertEquals("Lorem", preview("Subject: a\r\n\r\n" + text, 5));
    }

    @Test
    void neverMoreThan256CharactersAndNoSurrogateCutInHalf() throws IOException {
        assertEquals(256, preview("Subject: a\r\n\r\n" + "x".repeat(1000), 10_000).length());
        var emoji = preview("Subject: a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + "\uD83D\uDE00".repeat(300), 3);
        assertEquals("\uD83D\uDE00".repeat(3), emoji);
    }

    @Test
    void thePlainAlternativeWinsOverHtmlAndQuotedLinesAreLeftOut() throws IOException {
        var message = "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/html\r\n\r\n<p>html</p>\r\n--b\r\n"
                + "Content-Type: text/plain\r\n\r\nOn Monday you wrote:\r\n> quoted\r\n>> deeper\r\nMy answer.\r\n--b--\r\n";
        assertEquals("On Monday you wrote: My answer.", preview(message, 200));
    }

    @Test
    void htmlLosesItsMarkupScriptsStylesAndHead() throws IOException {
        var html = "Content-Type: text/html; charset=utf-8\r\n\r\n<html><head><title>Title</title>"
                + "<style>p { color: red }</style></head><body><!-- hidden --><p>Hello&nbsp;&amp; <b>world</b>"
                + "&#33; &#x263A; &bogus; a&b</p><SCRIPT>evil()</SCRIPT><br>end</body></html>";
        assertEquals("Hello & world! \u263A &bogus; a&b end", preview(html, 200));
    }

    @Test
    void transferEncodingsAndCharsetsAreDecoded() throws IOException {
        var base64 = Base64.getMimeEncoder().encodeToString("Grüße aus Köln".getBytes(StandardCharsets.UTF_8));
        assertEquals("Grüße aus Köln", preview("Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + base64 + "\r\n", 200));
        assertEquals("café noir = ok", preview("Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C3=A9 =\r\nnoir =3D ok=\r\n", 200));
        var latin1 = "Content-Type: text/plain; charset=iso-8859-1\r\n\r\nna\u00efve\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("naïve", preview(latin1, 200));
    }

    @Test
    void badCharsetsAndBrokenEncodingsStillGiveText() throws IOException {
        assertEquals("plain text", preview("Content-Type: text/plain; charset=\"x-no-such\\\"set\"\r\n\r\nplain text\r\n", 200));
        var invalid = "Content-Type: text/plain; charset=utf-8\r\n\r\na\u00ffb\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("a\uFFFDb", preview(invalid, 200));
        // a base64 body cut anywhere, with garbage in it, decodes what it can
        assertEquals("hello", preview("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "aGVs*bG8=\r\nQ\r\n", 200));
    }

    @Test
    void messagesWithoutTextHaveAnEmptyPreview() throws IOException {
        assertEquals("", preview("Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n", 200));
        assertEquals("", preview("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nattached\r\n--b--\r\n", 200));
        assertEquals("", preview("Subject: empty\r\n\r\n", 200));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void hostileMessagesStayBounded() throws IOException {
        for (var body : new String[] {"<".repeat(2_000_000), "&".repeat(2_000_000), "<script>" + "x".repeat(2_000_000),
                "<style></style>".repeat(200_000), "<a ".repeat(500_000) + ">text"}) {
            var made = preview("Content-Type: text/html\r\n\r\n" + body, 200);
            assertTrue(made.length() <= 200, made);
        }
        var deep = new StringBuilder("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (int i = 1; i < 500; i++) {
            deep.append("--b").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=b").append(i).append("\r\n\r\n");
        }
        deep.append("--b499\r\nContent-Type: text/plain\r\n\r\ndeep text\r\n");
        assertTrue(preview(deep.toString(), 200).length() <= 200);
        var noNewlines = "Subject: a\r\n\r\n" + "y".repeat(3_000_000);
        assertEquals(200, preview(noNewlines, 200).length());
    }
}
