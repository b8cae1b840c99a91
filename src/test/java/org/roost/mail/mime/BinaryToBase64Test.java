package org.roost.mail.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A literal8 message's binary parts rewritten to base64 (RFC 3516 §4.4, §6), everything else kept. */
class BinaryToBase64Test {

    private static String encode(String message) throws IOException {
        var bytes = message.getBytes(ISO_8859_1);
        var parts = BinaryToBase64.binaryParts(MessageStructure.parse(new ByteArrayInputStream(bytes)), 64 * 1024);
        try (var in = BinaryToBase64.encoded(new ByteArrayInputStream(bytes), parts)) {
            return new String(in.readAllBytes(), ISO_8859_1);
        }
    }

    @Test
    void aSinglePartMessageKeepsItsOtherFieldsFoldedAsTheyWere() throws IOException {
        // (a top-level entity's Content-* fields count with MIME-Version or Content-Type only, as in Dovecot)
        assertEquals("MIME-Version: 1.0\r\nSubject: x\r\n folded\r\nX-After: y\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nAAEC\r\n", encode("MIME-Version: 1.0\r\n"
                + "Subject: x\r\n folded\r\ncontent-transfer-encoding: Binary\r\nX-After: y\r\n\r\n\0\1\2"));
    }

    @Test
    void onlyBinaryPartsChangeAndBinarySectionsDecodeToTheOriginal() throws IOException {
        var data = "\0\r\n\u00ff\n--not a boundary\r\n\0";
        var message = "Subject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                + "Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n8bit \u00e9\r\n--B\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: BINARY\r\n\r\n" + data
                + "\r\n--B--\r\n";
        var encoded = encode(message);
        assertTrue(encoded.startsWith(message.substring(0, message.indexOf("Content-Type: application"))), encoded);
        var structure = MessageStructure.parse(new ByteArrayInputStream(encoded.getBytes(ISO_8859_1)));
        var section = structure.binary(2).orElseThrow();
        assertEquals(TransferDecoding.BASE64, section.decoding());
        var bytes = encoded.getBytes(ISO_8859_1);
        var decoded = section.decode(new ByteArrayInputStream(bytes, (int) section.slice().offset(),
                bytes.length), 4096).readAllBytes();
        assertArrayEquals(data.getBytes(ISO_8859_1), decoded);
        assertTrue(encoded.endsWith("\r\n--B--\r\n"), encoded);
    }

    @Test
    void aMessageWithoutBinaryPartsHasNoneToRewrite() throws IOException {
        var structure = MessageStructure.parse(new ByteArrayInputStream("Subject: x\r\n\r\nplain\r\n".getBytes(ISO_8859_1)));
        assertTrue(BinaryToBase64.binaryParts(structure, 64 * 1024).isEmpty());
    }
}
