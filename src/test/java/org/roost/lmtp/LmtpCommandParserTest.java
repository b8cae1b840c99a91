package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wire strings to commands, and each malformed line to its precise reply (RFC 5321 §4.1, RFC 3030, RFC 6531). */
class LmtpCommandParserTest {

    @Test
    void mailFromWithEveryParameterRoostOffers() throws Exception {
        var mail = (LmtpCommand.Mail) LmtpCommandParser.parse("mail from:<a.b@example.org> SIZE=1234 BODY=8BITMIME SMTPUTF8");
        assertEquals("a.b", mail.sender().localPart());
        assertEquals("example.org", mail.sender().domain());
        assertEquals(1234, mail.size());
        assertTrue(mail.eightBit());
        assertTrue(mail.smtpUtf8());
    }

    @Test
    void nullReversePathSpaceAfterColonAndSourceRoute() throws Exception {
        assertNull(((LmtpCommand.Mail) LmtpCommandParser.parse("MAIL FROM:<>")).sender());
        assertEquals("x@y.org", ((LmtpCommand.Mail) LmtpCommandParser.parse("MAIL FROM: <x@y.org>")).sender().toString());
        var rcpt = (LmtpCommand.Rcpt) LmtpCommandParser.parse("RCPT TO:<@relay.org,@other.org:pat@foo.edu>");
        assertEquals("pat@foo.edu", rcpt.recipient().toString());
    }

    @Test
    void quotedLocalPartsAndPostmaster() throws Exception {
        var rcpt = (LmtpCommand.Rcpt) LmtpCommandParser.parse("RCPT TO:<\"john > doe\"@example.org>");
        assertEquals("john > doe", rcpt.recipient().localPart());
        assertEquals("\"john > doe\"@example.org", rcpt.recipient().toString());
        assertEquals("Postmaster", ((LmtpCommand.Rcpt) LmtpCommandParser.parse("RCPT TO:<Postmaster>")).recipient().localPart());
    }

    @Test
    void bdatWithAndWithoutLast() throws Exception {
        assertEquals(new LmtpCommand.Bdat(0, true), LmtpCommandParser.parse("BDAT 0 LAST"));
        assertEquals(new LmtpCommand.Bdat(4096, false), LmtpCommandParser.parse("bdat 4096"));
    }

    @Test
    void smtpGreetingsAreKnownButNotLmtp() throws Exception {
        assertInstanceOf(LmtpCommand.SmtpGreeting.class, LmtpCommandParser.parse("EHLO x"));
        assertInstanceOf(LmtpCommand.SmtpGreeting.class, LmtpCommandParser.parse("HELO x"));
        assertEquals(new LmtpCommand.Noop(), LmtpCommandParser.parse("NOOP anything at all"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "LHLO|501 5.5.4 Syntax: LHLO hostname",
            "LHLO bad host|501 5.5.4 Syntax: LHLO hostname",
            "LHLO <script>|501 5.5.4 Syntax: LHLO hostname",
            "MAIL TO:<a@b>|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:a@b|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:<a@b|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:<a@b>x|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:<a@@b>|501 5.1.7 Invalid sender address: a bad character in the local part",
            "MAIL FROM:<a..b@c>|501 5.1.7 Invalid sender address: a bad local part",
            "MAIL FROM:<a@b> SIZE=x|501 5.5.4 Syntax: SIZE=<number of octets>",
            "MAIL FROM:<a@b> SIZE=9999999999999999999999|501 5.5.4 Syntax: SIZE=<number of octets>",
            "MAIL FROM:<a@b> BODY=BINARYMIME|555 5.5.4 Unsupported BODY type; use 7BIT or 8BITMIME",
            "MAIL FROM:<a@b> RET=FULL|555 5.5.4 Unsupported parameter: RET",
            "MAIL FROM:<a@b> SMTPUTF8=yes|501 5.5.4 SMTPUTF8 takes no value",
            "RCPT TO:<>|501 5.1.3 Invalid recipient address: the null address",
            "RCPT TO:<nodomain>|501 5.1.3 Invalid recipient address: an address needs @domain",
            "RCPT TO:<a@b> NOTIFY=NEVER|555 5.5.4 Unsupported parameter: NOTIFY",
            "RCPT FROM:<a@b>|501 5.5.4 Syntax: RCPT TO:<address>",
            "DATA now|501 5.5.4 Syntax: DATA takes no argument",
            "BDAT|501 5.5.4 Syntax: BDAT <size> [LAST]",
            "BDAT -1|501 5.5.4 Syntax: BDAT <size> [LAST]",
            "BDAT 10 FIRST|501 5.5.4 Syntax: BDAT <size> [LAST]",
            "BDAT 1234567890123456789|501 5.5.4 Syntax: BDAT <size> [LAST]",
            "EXPN list|502 5.5.1 EXPN is not supported",
            "FROB|500 5.5.1 Unknown command",
            "|500 5.5.1 Unknown command",
    })
    void malformedLinesGetTheirReply(String line, String reply) {
        var e = assertThrows(LmtpSyntaxException.class, () -> LmtpCommandParser.parse(line == null ? "" : line));
        assertEquals(reply, e.reply().code() + " " + e.reply().status() + " " + e.reply().text());
    }

    private static final String ALPHABET = "<>@\":. =\\,ab\u00e9\u0000\t1";

    /** Seeded hostile lines: each is a command or a syntax error with a 5xx reply, never anything else. */
    @Test
    void randomLinesNeverThrowAnythingElse() {
        var random = new Random(2033);
        var verbs = new String[] {"MAIL FROM:", "RCPT TO:", "BDAT ", "LHLO ", "DATA", "", "mail from:<"};
        for (int i = 0; i < 20_000; i++) {
            var line = new StringBuilder(verbs[random.nextInt(verbs.length)]);
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                line.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            try {
                LmtpCommandParser.parse(line.toString());
            } catch (LmtpSyntaxException e) {
                assertTrue(e.reply().code() >= 500, line::toString);
            }
        }
    }
}
