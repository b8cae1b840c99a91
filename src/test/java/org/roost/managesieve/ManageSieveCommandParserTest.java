package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roost.managesieve.ManageSieveCommand.Access;
import org.roost.managesieve.ManageSieveCommand.Upload;

class ManageSieveCommandParserTest {

    private static Word.Text text(String s) {
        return new Word.Text(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ManageSieveCommand parse(Word... words) throws ManageSieveSyntaxException {
        return ManageSieveCommandParser.parse(List.of(words));
    }

    private static String error(Word... words) {
        try {
            return "parsed: " + ManageSieveCommandParser.parse(List.of(words));
        } catch (ManageSieveSyntaxException e) {
            return e.commandName() + ": " + e.getMessage();
        }
    }

    @Test
    void everyCommandWithItsArgumentsAndState() throws Exception {
        assertEquals(new ManageSieveCommand.Capability(), parse(new Word.Atom("capability")));
        assertEquals(new ManageSieveCommand.Logout(), parse(new Word.Atom("LOGOUT")));
        assertEquals(new ManageSieveCommand.StartTls(), parse(new Word.Atom("StartTls")));
        assertEquals(new ManageSieveCommand.HaveSpace("a", 435), parse(new Word.Atom("HAVESPACE"), text("a"),
                new Word.Number(435)));
        assertEquals(new ManageSieveCommand.SetActive(""), parse(new Word.Atom("SETACTIVE"), text("")));
        assertEquals(new ManageSieveCommand.RenameScript("a", "b"), parse(new Word.Atom("RENAMESCRIPT"), text("a"),
                text("b")));
        var put = assertInstanceOf(ManageSieveCommand.PutScript.class,
                parse(new Word.Atom("PUTSCRIPT"), text("s"), text("keep;")));
        assertArrayEquals("keep;".getBytes(StandardCharsets.UTF_8),
                assertInstanceOf(Upload.Received.class, put.content()).content());
        assertEquals(new Upload.TooLarge(5000), assertInstanceOf(ManageSieveCommand.CheckScript.class,
                parse(new Word.Atom("CHECKSCRIPT"), new Word.Skipped(5000))).content());
        var auth = assertInstanceOf(ManageSieveCommand.Authenticate.class,
                parse(new Word.Atom("AUTHENTICATE"), text("PLAIN"), text("AGEAYg==")));
        assertArrayEquals(new byte[] {0, 'a', 0, 'b'}, auth.initialResponse().orElseThrow());
        assertEquals(Optional.of(0), assertInstanceOf(ManageSieveCommand.Authenticate.class,
                parse(new Word.Atom("AUTHENTICATE"), text("PLAIN"), text(""))).initialResponse().map(b -> b.length));
        assertEquals(Access.NOT_AUTHENTICATED, auth.access());
        assertEquals(Access.ANY, parse(new Word.Atom("NOOP")).access());
        assertEquals(Access.AUTHENTICATED, parse(new Word.Atom("UNAUTHENTICATE")).access());
        assertEquals("UNAUTHENTICATE", parse(new Word.Atom("unauthenticate")).name());
    }

    @Test
    void wrongArgumentsAreNamed() {
        assertEquals("INVALID: Expected a command name.", error(text("NOOP")));
        assertEquals("INVALID: Unknown command.", error(new Word.Atom("FROB")));
        assertEquals("GETSCRIPT: GETSCRIPT needs a script name.", error(new Word.Atom("GETSCRIPT")));
        assertEquals("GETSCRIPT: The script name must be a string.", error(new Word.Atom("GETSCRIPT"), new Word.Number(1)));
        assertEquals("GETSCRIPT: The script name must not be empty.", error(new Word.Atom("GETSCRIPT"), text("")));
        assertEquals("GETSCRIPT: The script name is too long.", error(new Word.Atom("GETSCRIPT"), new Word.Skipped(9)));
        assertEquals("GETSCRIPT: The script name is not valid UTF-8.",
                error(new Word.Atom("GETSCRIPT"), new Word.Text(new byte[] {(byte) 0xc3, '('})));
        assertEquals("HAVESPACE: The script size must be a number.", error(new Word.Atom("HAVESPACE"), text("a"),
                text("1")));
        assertEquals("LOGOUT: Too many arguments for LOGOUT.", error(new Word.Atom("LOGOUT"), text("x")));
        assertEquals("AUTHENTICATE: Invalid base64 data in the initial response.",
                error(new Word.Atom("AUTHENTICATE"), text("PLAIN"), text("a=b")));
    }

    /** Hostile input: any list of words parses or is refused with a message, never anything else. */
    @Test
    void randomWordsAreParsedOrRefused() {
        var random = new Random(18);
        String[] names = {"NOOP", "PUTSCRIPT", "HAVESPACE", "AUTHENTICATE", "SETACTIVE", "RENAMESCRIPT", "CHECKSCRIPT",
            "GETSCRIPT", "x", "", "LISTSCRIPTS"};
        for (int round = 0; round < 20_000; round++) {
            var words = new ArrayList<Word>();
            int n = random.nextInt(ManageSieveReader.MAX_WORDS + 1);
            for (int i = 0; i < n; i++) {
                var bytes = new byte[random.nextInt(6)];
                random.nextBytes(bytes);
                words.add(switch (random.nextInt(5)) {
                    case 0 -> new Word.Atom(names[random.nextInt(names.length)]);
                    case 1 -> new Word.Number(random.nextLong(0, 0x1_0000_0000L));
                    case 2 -> new Word.Skipped(random.nextLong(1, Long.MAX_VALUE));
                    case 3 -> text(names[random.nextInt(names.length)]);
                    default -> new Word.Text(bytes);
                });
            }
            try {
                var command = ManageSieveCommandParser.parse(words);
                assertEquals(command.name(), command.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT));
            } catch (ManageSieveSyntaxException e) {
                assertEquals(false, e.getMessage().isEmpty());
            }
        }
    }
}
