package org.roost.imap.command;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** {@code limits.binaryDecodeBuffer} and {@code limits.maxBinaryPartHeader} as a server configured with them uses them. */
@Timeout(60)
class BinaryLimitsTest {
    @TempDir
    Path dir;

    /** A binary part whose header is longer than maxBinaryPartHeader is kept as sent; a shorter one goes base64. */
    @Test
    void boundsTakeEffect() throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_BINARYDECODEBUFFER", "4096",
                "ROOST_LIMITS_MAXBINARYPARTHEADER", "1024", "ROOST_MAIL_FSYNC", "false"));
             var c = server.connect()) {
            c.expectOk("LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
            var data = new byte[100_000];
            new Random(3516).nextBytes(data);
            for (var pad : new int[] {0, 2000}) {
                var head = ("Subject: binary\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
                        + "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
                        + "X-Pad: " + "p".repeat(pad) + "\r\n\r\n").getBytes(ISO_8859_1);
                var message = concat(head, data, "\r\n--XX--\r\n".getBytes(ISO_8859_1));
                var tag = c.nextTag();
                c.write(tag + " APPEND INBOX ~{" + message.length + "+}\r\n");
                c.write(message);
                c.write("\r\n");
                assertTrue(c.readUntilTagged(tag).ok());
            }
            c.expectOk("EXAMINE INBOX");
            var mime = c.run("FETCH 1:2 BODY.PEEK[1.MIME]").untagged();
            assertTrue(mime.get(0).contains("Content-Transfer-Encoding: base64"), mime.get(0));
            assertTrue(mime.get(1).contains("Content-Transfer-Encoding: binary"), "header over 1024 bytes: as sent");
            var line = c.run("FETCH 1 BINARY.PEEK[1]").untagged().getFirst();
            var literal = line.substring(line.indexOf("}\r\n") + 3, line.length() - 1);
            assertArrayEquals(data, literal.getBytes(ISO_8859_1), "decoded through 4 KiB buffers");
            var body = c.run("FETCH 1 BODY.PEEK[1]").untagged().getFirst();
            var base64 = body.substring(body.indexOf("}\r\n") + 3, body.length() - 1);
            assertArrayEquals(data, Base64.getMimeDecoder().decode(base64));
        }
    }

    private static byte[] concat(byte[]... pieces) {
        int length = 0;
        for (var p : pieces) {
            length += p.length;
        }
        var out = new byte[length];
        int at = 0;
        for (var p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
