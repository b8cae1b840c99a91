package org.roost.imap.command;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** APPEND with a {@code literal8} (RFC 3516 §4.4, §7), its binary parts stored base64 (§6). */
@Timeout(60)
class BinaryAppendTest {
    private TestServer server;
    private RawImapClient c;

    @BeforeEach
    void login() throws IOException {
        server = TestServer.shared();
        c = server.login(server.newUser());
    }

    @AfterEach
    void close() throws IOException {
        c.close();
    }

    private RawImapClient.Response appendLiteral8(String announce, byte[] message) throws IOException {
        var tag = c.nextTag();
        c.write(tag + " APPEND INBOX " + announce.replace("N", Integer.toString(message.length)) + "\r\n");
        if (!announce.contains("+")) {
            var continuation = c.readResponse();
            assertTrue(continuation.startsWith("+"), continuation);
        }
        c.write(message);
        c.write("\r\n");
        return c.readUntilTagged(tag);
    }

    @Test
    void aBinaryPartIsStoredBase64AndFetchedAsAppended() throws IOException {
        var data = new byte[3000];
        new Random(3516).nextBytes(data);
        data[7] = 0;
        var head = ("From: a@example.com\r\nSubject: binary\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                + "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
                + "Content-Disposition: attachment\r\n\r\n").getBytes(ISO_8859_1);
        var tail = "\r\n--XX--\r\n".getBytes(ISO_8859_1);
        var message = concat(head, data, tail);
        for (var announce : List.of("~{N}", "~{N+}")) {
            var r = appendLiteral8(announce, message);
            assertTrue(r.ok(), r.toString());
        }
        c.expectOk("SELECT INBOX");
        var encoded = Base64.getMimeEncoder().encodeToString(data) + "\r\n";
        var r = c.run("FETCH 1:2 (BODY.PEEK[2.MIME] BODY.PEEK[2] BINARY.PEEK[2] BINARY.SIZE[2])");
        var mime = "Content-Type: application/octet-stream\r\nContent-Disposition: attachment\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n";
        var expected = "BODY[2.MIME] {" + mime.length() + "}\r\n" + mime + " BODY[2] {" + encoded.length() + "}\r\n" + encoded
                + " BINARY[2] ~{3000}\r\n" + new String(data, ISO_8859_1) + " BINARY.SIZE[2] 3000)";
        assertEquals(List.of("* 1 FETCH (" + expected, "* 2 FETCH (" + expected), r.untagged());
        assertTrue(c.run("FETCH 1 BODYSTRUCTURE").untagged().getFirst()
                .contains("(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" " + encoded.length()));
    }

    @Test
    void aLiteral8WithoutBinaryPartsIsStoredAsItIs() throws IOException {
        var message = "Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nh\u00c3\u00a9\r\n"
                .getBytes(ISO_8859_1);
        assertTrue(appendLiteral8("~{N}", message).ok());
        c.expectOk("SELECT INBOX");
        assertEquals("* 1 FETCH (BODY[] {" + message.length + "}\r\n" + new String(message, ISO_8859_1) + ")",
                c.run("FETCH 1 BODY.PEEK[]").untagged().getFirst());
    }

    @Test
    void aLiteral8LyingAboutItsSizeIsReadAsAnnounced() throws IOException {
        // 40 bytes announced, more sent: the 40 are read as the literal, the rest is left of a bad command line
        var r = appendLiteral8("~{40+}", "Subject: short\r\n\r\nthe body goes on and on past the announced size"
                .getBytes(ISO_8859_1));
        assertTrue(r.tagged().contains(" BAD "), r.toString());
        assertTrue(c.expectOk("SELECT INBOX").untagged().contains("* 0 EXISTS"));
    }

    @Test
    void literal8OnlyWhereTheGrammarAllowsIt() throws IOException {
        // RFC 3516 §7 adds literal8 to APPEND's message, not to other strings
        assertTrue(c.run("SELECT ~{5+}\r\nINBOX").tagged().contains("BAD"));
        assertTrue(c.run("APPEND INBOX ~5").tagged().contains("BAD"));
        c.expectOk("NOOP");
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (var p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
