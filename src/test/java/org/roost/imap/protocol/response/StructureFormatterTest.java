package org.roost.imap.protocol.response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StructureFormatterTest {

    private static String nstring(String raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureFormatter.writeNString(out, raw);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String humans(String raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureFormatter.writeStringForHumans(out, raw);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void nstringChoosesNilQuotedOrLiteral() throws IOException {
        assertEquals("NIL", nstring(null));
        assertEquals("\"\"", nstring(""));
        assertEquals("\"a \\\"b\\\" \\\\c\"", nstring("a \"b\" \\c"));
        assertEquals("{5}\r\n\"\"\"\"\"", nstring("\"\"\"\"\""), "more than four escapes: literal");
        assertEquals("{3}\r\na\r\n", nstring("a\r\n"));
        assertEquals("{2}\r\n\u00e9x", nstring("\u00e9x"));
        assertEquals("{3}\r\na\0b", nstring("a\0b"));
    }

    @Test
    void nstringForFoldedValuesDropsLineEnds() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureFormatter.writeNStringNoLf(out, "<a@b>\r\n <c@d>\r\n<e@f>");
        assertEquals("\"<a@b> <c@d> <e@f>\"", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void stringsForHumansAreCleanedLikeDovecot() throws IOException {
        assertEquals("\"plain subject\"", humans("plain subject"));
        assertEquals("{11}\r\nfolded line", humans("folded\r\n\tline"));
        assertEquals("{1}\r\na", humans("a  "));
        assertEquals("\"\"", humans("  \t"));
        assertEquals("{3}\r\na\"b", humans("a\"b"));
    }

    @Test
    void syntaxCheckerRejectsBrokenValues() {
        assertNull(ImapSyntax.problem("(\"a\" NIL {2}\r\n)( (1 2))".getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(ImapSyntax.problem("(\"a\" NIL".getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(ImapSyntax.problem("({5}\r\nab)".getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(ImapSyntax.problem("(\"a\rb\")".getBytes(StandardCharsets.ISO_8859_1)));
        assertNotNull(ImapSyntax.problem("(a))(".getBytes(StandardCharsets.ISO_8859_1)));
    }
}
