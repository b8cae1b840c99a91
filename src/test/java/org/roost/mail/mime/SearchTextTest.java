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

    /**
     * I18NLEVEL=1 (RFC 5255 §4.6): SEARCH compares with i;unicode-casemap (RFC 5051), which decomposes but keeps
     * the marks: "KÖLN" finds "Köln", "koln" does not, and "gru" does (a prefix of "GRU" + U+0308).
     */
    @Test
    void searchComparesWithUnicodeCasemapSoDiacriticsCount() throws IOException {
        MessageStructure m = corpus("08-8bit-headers");
        assertTrue(SearchText.headerContains(m, "Subject", "K\u00d6LN"));
        assertTrue(SearchText.headerContains(m, "Subject", "k\u00f6ln"));
        assertTrue(SearchText.headerContains(m, "Subject", "gru"));
        assertFalse(SearchText.headerContains(m, "Subject", "koln"));
        assertFalse(SearchText.headerContains(m, "Subject", "kiln"));
    }

    /** RFC 5051 §2's example and the titlecase and compatibility mappings it implies. */
    @Test
    void theCasemapFormOfRfc5051() {
        // U+01C4 titlecases to U+01C5, which decomposes to D, U+017E, which decomposes to z, U+030C
        assertEquals("Dz\u030c", SearchText.fold("\u01c4"));
        assertEquals("Dz\u030c", SearchText.fold("\u01c5"));
        assertEquals("Dz\u030c", SearchText.fold("\u01c6"));
        assertEquals("ZOE\u0308", SearchText.fold("zo\u00eb"));
        assertEquals(SearchText.fold("ZO\u00cb"), SearchText.fold("zoe\u0308"), "precomposed or not");
        assertEquals("fi", SearchText.fold("\ufb01"), "titlecased, then decomposed: its letters stay small (RFC 5051 §2, 2a then 2b)");
        assertEquals("\u03a3\u03a3", SearchText.fold("\u03c3\u03c2"), "both sigmas");
        assertEquals("\ud801\udc00", SearchText.fold("\ud801\udc28"), "Deseret, beyond the BMP");
        assertEquals("ABC", SearchText.fold("abc"));
        assertEquals("I", SearchText.fold("\u0131"), "dotless i titlecases to I: not locale sensitive");
    }

    /**
     * Hostile text: lone surrogates, a surrogate pair split across the matcher's 1 KiB reads (and 8 KiB ones),
     * combining marks alone, a needle of a megabyte: answers, never an exception.
     */
    @Test
    void hostileUnicodeIsMatchedWithoutFailing() throws IOException {
        assertEquals("\ud800X\udc00", SearchText.fold("\ud800x\udc00"), "lone surrogates stay themselves");
        var deseret = "\ud801\udc28";
        for (int padding : new int[] {1022, 8190}) {
            var pad = "x".repeat(padding);
            var raw = ("Content-Type: text/plain; charset=UTF-8\r\n\r\n" + pad + deseret + "end\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            for (int shift = 0; shift < 3; shift++) {
                byte[] bytes = normalized(shifted(raw, shift));
                var m = MessageStructure.parse(new ByteArrayInputStream(bytes));
                var at = "padding " + padding + ", shift " + shift;
                assertTrue(SearchText.bodyContains(m, new ByteArrayInputStream(bytes), "x\ud801\udc00END"), at);
                assertFalse(SearchText.bodyContains(m, new ByteArrayInputStream(bytes), "x\ud801END"), at);
            }
        }
        byte[] marks = normalized("Subject: \u0308\u0301\u0308 e\u0301\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        var m = MessageStructure.parse(new ByteArrayInputStream(marks));
        assertTrue(SearchText.headerContains(m, "Subject", "\u0301\u0308"));
        assertTrue(SearchText.headerContains(m, "Subject", "\u00c9"));
        assertFalse(SearchText.headerContains(m, "Subject", "\u00cb"));
        var huge = "\u00e9".repeat(1 << 20);
        assertFalse(SearchText.bodyContains(m, new ByteArrayInputStream(marks), huge));
        assertFalse(SearchText.headerContains(m, "Subject", huge));
    }

    /** {@code raw} with {@code shift} more ASCII letters before the body's padding, so pairs fall elsewhere. */
    private static byte[] shifted(byte[] raw, int shift) {
        var text = new String(raw, StandardCharsets.UTF_8);
        int body = text.indexOf("\r\n\r\n") + 4;
        return (text.substring(0, body) + "y".repeat(shift) + text.substring(body)).getBytes(StandardCharsets.UTF_8);
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
