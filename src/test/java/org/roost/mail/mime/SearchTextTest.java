package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class SearchTextTest {

    private static byte[] normalized(byte[] raw) throws IOException {
        return new CrlfInputStream(new ByteArrayInputStream(raw)).readAllBytes();
    }

    private static MessageStructure corpus(String name) throws IOException {
        return MessageStructure.parse(new ByteArrayInputStream(normalized(DovecotFixtures.message(name))));
    }

    private static boolean body(String name, String needle) throws IOException {
        byte[] n = normalized(DovecotFixtures.message(name));
        return SearchText.bodyContains(MessageStructure.parse(new ByteArrayInputStream(n)),
                new ByteArrayInputStream(n), needle);
    }

    private static boolean text(String name, String needle) throws IOException {
        byte[] n = normalized(DovecotFixtures.message(name));
        return SearchText.textContains(MessageStructure.parse(new ByteArrayInputStream(n)),
                new ByteArrayInputStream(n), needle);
    }

    @Test
    void encodedWordsAreDecodedInAnyCharset() throws IOException {
        MessageStructure m = corpus("10-encoded-words");
        assertEquals(List.of("If you can read this you understand the example."), SearchText.headerValues(m, "subject"));
        assertEquals(List.of("Keld J\u00f8rn Simonsen <keld@dkuug.dk>"), SearchText.headerValues(m, "From"));
        assertTrue(SearchText.headerContains(m, "From", "j\u00d8RN"));
        assertFalse(SearchText.headerContains(m, "From", "moore"));
    }

    @Test
    void rawEightBitHeadersFallBackToLatin1AndUtf8() throws IOException {
        MessageStructure m = corpus("08-8bit-headers");
        assertEquals(List.of("Gr\u00fc\u00dfe aus K\u00f6ln"), SearchText.headerValues(m, "Subject"));
        assertTrue(SearchText.headerContains(m, "From", "J\u00dcRGEN"));
    }

    @Test
    void baseLettersMatchTheirAccentedFormsAsDovecotDoes() throws IOException {
        // RFC 5051 i;unicode-casemap decomposes: "Grüße" holds "gru" followed by a combining mark
        MessageStructure m = corpus("08-8bit-headers");
        assertTrue(SearchText.headerContains(m, "Subject", "gru"));
        assertTrue(SearchText.headerContains(m, "Subject", "K\u00d6LN"));
        assertTrue(SearchText.headerContains(m, "Subject", "koln"));
        assertFalse(SearchText.headerContains(m, "Subject", "kiln"));
    }

    @Test
    void emptyNeedleMatchesWhenTheFieldExists() throws IOException {
        MessageStructure m = corpus("06-missing-headers");
        assertFalse(SearchText.headerContains(m, "Subject", ""));
        assertTrue(SearchText.headerContains(corpus("01-plain"), "subject", ""));
    }

    @Test
    void bodySearchDecodesTransferEncodingAndCharset() throws IOException {
        assertTrue(body("10-encoded-words", "m\u00dcnchen"), "base64 + utf-8");
        assertTrue(body("02-alternative", "caf\u00c9 AU"), "quoted-printable + utf-8");
        assertTrue(body("23-params-quirks", "\u20ac</b> soft"), "soft line break joins lines");
        assertTrue(body("08-8bit-headers", "gr\u00fc\u00dfe"), "8bit iso-8859-1");
        assertFalse(body("02-alternative", "Caf=C3"), "matches decoded text, not the encoding");
        assertTrue(body("04-nested-rfc822", "<BOLD>inner"), "inside an attached message");
    }

    @Test
    void textSearchAlsoSeesHeadersBodyDoesNot() throws IOException {
        assertFalse(body("04-nested-rfc822", "fwd: inner"));
        assertTrue(text("04-nested-rfc822", "fwd: inner"));
        assertTrue(text("04-nested-rfc822", "b@EXAMPLE.com"), "header of the attached message");
        assertTrue(text("10-encoded-words", "andr\u00e9 pirard"), "decoded header");
    }

    @Test
    void matchesAcrossBufferBoundariesInLongBodies() throws IOException {
        String filler = "abcdefghij".repeat(5000);
        String msg = "Subject: long\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + filler
                + "NEEDLE in a haystack\r\n";
        byte[] bytes = msg.getBytes(StandardCharsets.US_ASCII);
        MessageStructure m = MessageStructure.parse(new ByteArrayInputStream(bytes));
        assertTrue(SearchText.bodyContains(m, new ByteArrayInputStream(bytes), "jNeedle IN"));
        assertFalse(SearchText.bodyContains(m, new ByteArrayInputStream(bytes), "needle in a haystack!"));
    }
}
