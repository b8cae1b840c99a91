package org.roost.imap.fetch;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** FETCH BINARY, BINARY.PEEK and BINARY.SIZE (RFC 3516 §4.2, §4.3, §7), byte for byte, over Maildir and mbox. */
@Timeout(60)
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"maildir", "mbox"})
class BinaryFetchTest {
    static final String SINGLE_BASE64 = "From: a@example.com\r\nSubject: single\r\n"
            + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "AAECAwBoZWxsbw==\r\n";
    static final String MIXED = "From: a@example.com\r\nSubject: mixed\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=XX\r\n\r\n"
            + "--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "h=C3=A9llo=\r\n wo=\r\nrld\r\n"
            + "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "aGVsbG8gd29ybGQ=\r\n"
            + "--XX\r\nContent-Type: message/rfc822\r\n\r\n"
            + "From: c@example.com\r\nSubject: inner\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "aW5uZXIKdGV4dA==\r\n"
            + "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n"
            + "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: BASE64\r\n\r\naGV*sbG8=!!\r\nYWJj\r\n"
            + "--XX\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nabc=\r\n"
            + "--XX\r\nContent-Type: text/plain\r\n\r\nplain 7bit\r\n"
            + "--XX--\r\n";
    @Parameter
    String storage;
    private TestServer server;
    private RawImapClient c;

    @BeforeEach
    void mailbox() throws IOException {
        server = TestServer.shared(storage);
        c = server.login(server.newUser());
        c.append("INBOX", SINGLE_BASE64);
        c.append("INBOX", MIXED);
        c.expectOk("SELECT INBOX");
    }

    @AfterEach
    void close() throws IOException {
        c.close();
    }

    private String fetch(String args) throws IOException {
        var r = c.run("FETCH " + args);
        assertTrue(r.ok(), r.toString());
        assertEquals(1, r.untagged().size(), r.toString());
        return r.untagged().getFirst();
    }

    @Test
    void nulInTheDecodedDataGoesInALiteral8() throws IOException {
        assertEquals("* 1 FETCH (BINARY[1] ~{10}\r\n\0\1\2\3\0hello BINARY.SIZE[1] 10)",
                fetch("1 (BINARY.PEEK[1] BINARY.SIZE[1])"));
    }

    @Test
    void decodedDataWithoutNulGoesInAPlainLiteral() throws IOException {
        // §4.3: "the server SHOULD return the data in a <string> instead of a <literal8>"
        assertEquals("* 2 FETCH (BINARY[1] {12}\r\nh\u00c3\u00a9llo world BINARY[2] {11}\r\nhello world)",
                fetch("2 (BINARY.PEEK[1] BINARY.PEEK[2])"));
    }

    @Test
    void partialCountsDecodedBytes() throws IOException {
        assertEquals("* 1 FETCH (BINARY[1]<2> ~{3}\r\n\2\3\0)", fetch("1 BINARY.PEEK[1]<2.3>"));
        assertEquals("* 2 FETCH (BINARY[2]<6> {5}\r\nworld)", fetch("2 BINARY.PEEK[2]<6.100>"));
        assertEquals("* 2 FETCH (BINARY[2]<11> \"\")", fetch("2 BINARY.PEEK[2]<11.5>"));
    }

    @Test
    void aPartOfAnAttachedMessage() throws IOException {
        // the text of the attached message's single part, decoded, its LF line end sent as CRLF (§6)
        assertEquals("* 2 FETCH (BINARY[3.1] {11}\r\ninner\r\ntext BINARY.SIZE[3.1] 11)",
                fetch("2 (BINARY.PEEK[3.1] BINARY.SIZE[3.1])"));
    }

    @Test
    void compositeSectionsCarryNoEncodingOfTheirOwn() throws IOException {
        var attached = "From: c@example.com\r\nSubject: inner\r\nContent-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\naW5uZXIKdGV4dA==";
        assertEquals("* 2 FETCH (BINARY[3] {" + attached.length() + "}\r\n" + attached + ")",
                fetch("2 BINARY.PEEK[3]"));
        assertEquals("* 1 FETCH (BINARY.SIZE[] " + SINGLE_BASE64.length() + ")", fetch("1 BINARY.SIZE[]"));
        assertEquals("* 1 FETCH (BINARY[] {" + SINGLE_BASE64.length() + "}\r\n" + SINGLE_BASE64 + ")",
                fetch("1 BINARY.PEEK[]"));
    }

    @Test
    void unknownEncodingFailsWithUnknownCte() throws IOException {
        var r = c.run("FETCH 2 (BINARY.PEEK[4] BINARY.SIZE[7] UID)");
        assertEquals(List.of("* 2 FETCH (BINARY.SIZE[7] 10 UID 2)"), r.untagged());
        assertTrue(r.tagged().matches("\\S+ NO \\[UNKNOWN-CTE] .*"), r.tagged());
        r = c.run("FETCH 2 BINARY.SIZE[4]");
        assertEquals(List.of(), r.untagged());
        assertTrue(r.tagged().matches("\\S+ NO \\[UNKNOWN-CTE] .*"), r.tagged());
    }

    @Test
    void hostileEncodings() throws IOException {
        // bad base64: stray characters ignored, the first "=" ends the data (RFC 2045 §6.8)
        assertEquals("* 2 FETCH (BINARY[5] {5}\r\nhello BINARY.SIZE[5] 5)", fetch("2 (BINARY.PEEK[5] BINARY.SIZE[5])"));
        // a soft line break at the end of the part
        assertEquals("* 2 FETCH (BINARY[6] {3}\r\nabc BINARY.SIZE[6] 3)", fetch("2 (BINARY.PEEK[6] BINARY.SIZE[6])"));
    }

    @Test
    void aPartThatDoesNotExistIsEmpty() throws IOException {
        assertEquals("* 2 FETCH (BINARY[9] \"\" BINARY.SIZE[9] 0 BINARY[2.5] \"\")",
                fetch("2 (BINARY.PEEK[9] BINARY.SIZE[9] BINARY.PEEK[2.5])"));
    }

    @Test
    void binarySetsSeenAndPeekDoesNot() throws IOException {
        assertEquals("* 1 FETCH (BINARY.SIZE[1] 10)", fetch("1 BINARY.SIZE[1]"));
        assertEquals("* 1 FETCH (BINARY[1]<0> ~{1}\r\n\0)", fetch("1 BINARY.PEEK[1]<0.1>"));
        assertEquals("* 1 FETCH (FLAGS (\\Recent))", fetch("1 FLAGS"));
        assertEquals("* 1 FETCH (BINARY[1]<0> ~{1}\r\n\0 FLAGS (\\Seen \\Recent))", fetch("1 BINARY[1]<0.1>"));
    }

    @Test
    void grammarOfSectionBinary() throws IOException {
        // section-binary = "[" [section-part] "]": no HEADER/TEXT/MIME, no part 0; partial needs a nz-number
        for (var bad : List.of("BINARY[1.TEXT]", "BINARY[0]", "BINARY[1.]", "BINARY[1]<0.0>", "BINARY.SIZE[1]<0.1>",
                "BINARY.PEEK[HEADER]", "BINARY", "BINARY.SIZE")) {
            var r = c.run("FETCH 1 " + bad);
            assertTrue(r.status().startsWith("BAD"), bad + ": " + r);
        }
        assertEquals("* 2 FETCH (UID 2 BINARY[7] {10}\r\nplain 7bit)", c.run("UID FETCH 2 BINARY.PEEK[7]").untagged()
                .getFirst());
    }

    @Test
    void literalOfNormalSectionsStillHasNoNul() throws IOException {
        // RFC 3501 §4.3: BODY[] keeps sending NUL as 0x80 even where BINARY sends the NUL
        var r = c.run("APPEND INBOX {21+}\r\nSubject: x\r\n\r\nab\0cd\r\n");
        assertTrue(r.ok(), r.toString());
        c.expectOk("NOOP");
        assertEquals("* 3 FETCH (BODY[TEXT] {7}\r\nab\u0080cd\r\n BINARY[1] ~{7}\r\nab\0cd\r\n)",
                fetch("3 (BODY.PEEK[TEXT] BINARY.PEEK[1])"));
        assertEquals(21, "Subject: x\r\n\r\nab\0cd\r\n".getBytes(ISO_8859_1).length);
    }
}
