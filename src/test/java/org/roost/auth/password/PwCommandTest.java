package org.roost.auth.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PwCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return PwCommand.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void defaultSchemeIsSha512CryptWithPasswordOption() {
        assertEquals(0, run("", "-p", "pencil"));
        assertTrue(out().startsWith("{SHA512-CRYPT}$6$"), out());
        assertTrue(Passwords.verify(out(), "pencil".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsOneLineFromStdinWhenNotATerminal() {
        assertEquals(0, run("pässwörd\r\nignored\n", "-s", "ssha256", "-u", "tim"));
        assertTrue(out().startsWith("{SSHA256}"), out());
        assertTrue(Passwords.verify(out(), "pässwörd".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void testOptionVerifiesLikeDoveadm() {
        String hash = "{SHA}9Rfd8dMqES/xrVXGbRsSyzjn6Pc=";
        assertEquals(0, run("", "-t", hash, "-p", "pässwörd"));
        assertEquals(hash + " (verified)", out());
        assertEquals(PwCommand.FAILED, run("", "-t", hash, "-p", "wrong"));
        assertEquals("reverse password verification check failed: password mismatch", err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(PwCommand.USAGE, run("", "-x"));
        assertTrue(err().startsWith("usage: roost pw"), err());
        assertEquals(PwCommand.USAGE, run("", "-s"));
        assertEquals(PwCommand.USAGE, run("", "-p", "pencil", "extra"));
        assertEquals(PwCommand.USAGE, run("", "-s", "NOPE", "-p", "pencil"));
        assertTrue(err().endsWith("Unknown scheme: NOPE"), err());
    }

    @Test
    void emptyPasswordIsRefused() {
        assertEquals(PwCommand.FAILED, run("\n"));
        assertEquals("Empty passwords are not allowed", err());
        assertEquals("", out());
    }

    @Test
    void listsSchemes() {
        assertEquals(0, run("", "-l"));
        assertEquals(String.join(" ", Passwords.schemes()), out());
    }

    @Test
    void overlongStdinPasswordIsRefused() {
        assertEquals(PwCommand.FAILED, run("x".repeat(5000)));
        assertTrue(err().startsWith("password longer than"), err());
    }
}
