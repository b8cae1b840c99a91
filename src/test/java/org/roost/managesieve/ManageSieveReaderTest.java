package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.net.ProtocolViolation;

class ManageSieveReaderTest {
    private static final ManageSieveReader.LiteralCaps CAPS = new ManageSieveReader.LiteralCaps(100, 1000);

    private static ManageSieveReader reader(String wire) {
        return reader(wire.getBytes(StandardCharsets.UTF_8));
    }

    private static ManageSieveReader reader(byte[] wire) {
        return new ManageSieveReader(new ByteArrayInputStream(wire), 1024);
    }

    /** The words of the first command as readable text: A(atom) N(number) T(text) S(skipped size). */
    private static String words(String wire) throws Exception {
        return describe(reader(wire).read(CAPS));
    }

    private static String describe(ManageSieveReader.Words words) {
        var text = new StringBuilder();
        for (var word : words.words()) {
            text.append(switch (word) {
                case Word.Atom a -> "A(" + a.text() + ")";
                case Word.Number n -> "N(" + n.value() + ")";
                case Word.Text t -> "T(" + new String(t.bytes(), StandardCharsets.UTF_8) + ")";
                case Word.Skipped s -> "S(" + s.size() + ")";
            });
        }
        return words.error().map(e -> text + " error: " + e).orElse(text.toString());
    }

    @Test
    void readsAtomsNumbersQuotedStringsAndLiterals() throws Exception {
        assertEquals("A(CAPABILITY)", words("CAPABILITY\r\n"));
        assertEquals("A(logout)", words("logout\n"));
        assertEquals("A(HAVESPACE)T(myscript)N(999999)", words("HAVESPACE \"myscript\" 999999\r\n"));
        assertEquals("A(PUTSCRIPT)T(foo)T(#comment\r\nInvalidSieveCommand\r\n)",
                words("Putscript \"foo\" {31+}\r\n#comment\r\nInvalidSieveCommand\r\n\r\n").replace("Putscript", "PUTSCRIPT"));
        assertEquals("A(RENAMESCRIPT)T(a)T(b)", words("RENAMESCRIPT {1+}\r\na {1}\r\nb\r\n"));
        assertEquals("A(NOOP)T(say \"hi\" \\ there)", words("NOOP \"say \\\"hi\\\" \\\\ there\"\r\n"));
        assertEquals("A(SETACTIVE)T()", words("SETACTIVE \"\"\r\n"));
        assertEquals("A(AUTHENTICATE)T(PLAIN)T()", words("AUTHENTICATE \"PLAIN\" {0+}\r\n\r\n"));
        assertEquals("N(0)N(4294967295)", words("0 4294967295\r\n"));
        assertEquals("", words("\r\n"));
    }

    @Test
    void quotedStringsKeepUtf8() throws Exception {
        assertEquals("A(GETSCRIPT)T(Übersicht ☃)", words("GETSCRIPT \"Übersicht ☃\"\r\n"));
    }

    @Test
    void literalsAboveWhatIsKeptAreSkipped() throws Exception {
        var reader = reader("PUTSCRIPT \"big\" {500+}\r\n" + "x".repeat(500) + "\r\nNOOP\r\n");
        assertEquals("A(PUTSCRIPT)T(big)S(500)", describe(reader.read(CAPS)));
        assertEquals("A(NOOP)", describe(reader.read(CAPS)));
    }

    @Test
    void aLiteralAboveTheSkipCapEndsTheSession() {
        var reader = reader("PUTSCRIPT \"big\" {1001+}\r\n");
        assertThrows(ProtocolViolation.class, () -> reader.read(CAPS));
    }

    @Test
    void endlessLiteralsEndTheSession() {
        var reader = reader("NOOP {0+}\r\n {0+}\r\n {0+}\r\n {0+}\r\n {0+}\r\n {0+}\r\n\r\n");
        assertThrows(ProtocolViolation.class, () -> reader.read(CAPS));
    }

    /** After an error the rest of the command, its literals too, is consumed: the next command reads cleanly. */
    @Test
    void syntaxErrorsConsumeTheWholeCommand() throws Exception {
        var reader = reader("PUTSCRIPT \"a\\x\" {12+}\r\nNOOP\r\nNOOP\r\n\r\nLOGOUT\r\n");
        var first = reader.read(CAPS);
        assertEquals(Optional.of("Invalid escape in a quoted string: only \\\" and \\\\ are allowed."), first.error());
        assertEquals("A(LOGOUT)", describe(reader.read(CAPS)));
    }

    @Test
    void malformedInputIsReported() throws Exception {
        assertEquals("A(NOOP) error: Missing closing quote.", words("NOOP \"abc\r\n"));
        assertEquals("A(NOOP)T(a) error: Missing space between arguments.", words("NOOP \"a\"\"b\"\r\n"));
        assertEquals("A(NOOP)T(a) error: Missing space between arguments.", words("NOOP {1+}\r\na{1+}\r\nb\r\n"));
        assertEquals("A(NOOP) error: Invalid character in an atom.", words("NOOP (x)\r\n"));
        assertEquals("A(NOOP) error: Invalid character in a quoted string.", words("NOOP \"a\rb\"\r\n"));
        assertEquals("A(HAVESPACE)T(a) error: Invalid number: 4294967296", words("HAVESPACE \"a\" 4294967296\r\n"));
        assertEquals("A(HAVESPACE)T(a) error: Invalid number: 012", words("HAVESPACE \"a\" 012\r\n"));
        assertEquals("A(A)A(B)A(C)A(D) error: Too many arguments.", words("A B C D E\r\n"));
        assertEquals(" error: Invalid character in an atom.", words("\u00e9\r\n"));
    }

    @Test
    void overlongLinesAreReportedAndSkipped() throws Exception {
        var reader = reader("NOOP " + "x".repeat(2000) + "\r\nLOGOUT\r\n");
        assertThrows(ManageSieveReader.LineTooLong.class, () -> reader.read(CAPS));
        assertTrue(reader.skipLine(100_000));
        assertEquals("A(LOGOUT)", describe(reader.read(CAPS)));
    }

    @Test
    void aClosedConnectionInsideALiteralIsAnEnd() {
        var reader = reader("PUTSCRIPT \"a\" {10+}\r\nabc");
        assertThrows(EOFException.class, () -> reader.read(CAPS));
    }

    /**
     * Hostile input: random commands built from the grammar's pieces and raw bytes never make the reader fail in
     * another way than a protocol violation or the end of the input, never keep more than the caps allow, and
     * every read consumes input (so no loop can spin).
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hostileInputNeverBreaksTheReader() throws Exception {
        var random = new Random(5804);
        String[] pieces = {"NOOP", "PUTSCRIPT", " ", "  ", "\"", "\\", "\\\"", "{", "}", "+", "{5+}\r\n", "{0}\r\n",
            "{99999999999999999999+}\r\n", "{1001+}\r\n", "\r\n", "\n", "\r", "\0", "(", ")", "0", "007", "4294967296",
            "\u00ff", "ä", "abc", "{3+}"};
        for (int round = 0; round < 5000; round++) {
            var wire = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                wire.append(random.nextInt(10) == 0 ? Character.toString(random.nextInt(256))
                        : pieces[random.nextInt(pieces.length)]);
            }
            var bytes = wire.toString().getBytes(StandardCharsets.ISO_8859_1);
            var in = new ByteArrayInputStream(bytes);
            var reader = new ManageSieveReader(in, 64);
            int before = in.available();
            for (int reads = 0; reads <= bytes.length; reads++) {
                try {
                    readOrSkip(reader);
                } catch (EOFException | ProtocolViolation e) {
                    break;
                }
                assertTrue(in.available() < before, "a read consumed nothing: " + wire);
                before = in.available();
            }
        }
    }

    private static void readOrSkip(ManageSieveReader reader) throws IOException, ProtocolViolation {
        try {
            var words = reader.read(CAPS);
            assertTrue(words.words().size() <= ManageSieveReader.MAX_WORDS);
            for (var word : words.words()) {
                assertFalse(word instanceof Word.Text t && t.bytes().length > CAPS.keep(), "kept too much");
            }
        } catch (ManageSieveReader.LineTooLong e) {
            reader.skipLine(1024);
        }
    }

    @Test
    void theGrammarsPiecesRoundTripThroughTheWriter() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var writer = new ManageSieveWriter(out);
        writer.stringLine("line1\r\nline2\r\n".getBytes(StandardCharsets.UTF_8));
        writer.stringLine("a \"quoted\" \\ one".getBytes(StandardCharsets.UTF_8));
        var reader = reader(out.toByteArray());
        var words = List.of(reader.read(CAPS), reader.read(CAPS));
        assertArrayEquals("line1\r\nline2\r\n".getBytes(StandardCharsets.UTF_8),
                assertInstanceOf(Word.Text.class, words.get(0).words().getFirst()).bytes());
        assertEquals("a \"quoted\" \\ one", new String(
                assertInstanceOf(Word.Text.class, words.get(1).words().getFirst()).bytes(), StandardCharsets.UTF_8));
    }
}
