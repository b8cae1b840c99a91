package org.roost.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 4467 §9's URL grammar over RFC 5092's message parts: what is read, and what is refused. */
class UrlGrammarTest {
    static final ParserSettings SETTINGS = new ParserSettings(Path.of("/nonexistent"), 64, 30, 256, 1000, 5, 5, 300, 3);
    static final String EXAMPLE = "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred";

    @Test
    void rfc4467Example() {
        var rump = UrlRump.parse(EXAMPLE, SETTINGS).orElseThrow();
        assertEquals(EXAMPLE, rump.text());
        assertEquals("joe", rump.owner());
        assertEquals(new MailboxName.Valid("INBOX", "INBOX"), rump.part().mailbox());
        assertEquals(20, rump.part().uid());
        assertEquals("BODY[1.2]", rump.part().section().responseName());
        assertEquals(new UrlRump.Submit("fred"), rump.access());
        var full = assertInstanceOf(ImapUrl.Authorized.class,
                ImapUrl.parse(EXAMPLE + ":internal:91354a473744909de610943775f92038", SETTINGS));
        assertEquals(rump, full.rump(), "the rump is the URL without \":mech:token\", as sent (§6)");
        assertEquals("INTERNAL", full.mechanism());
        assertEquals("91354a473744909de610943775f92038", full.token());
    }

    @Test
    void everyComponent() {
        var text = "IMAP://j%C3%B6rg;AUTH=*@[::1]:143/Entw%C3%BCrfe/Alt;UIDVALIDITY=7/;UID=3/;SECTION=HEADER.FIELDS%20(TO)"
                + "/;PARTIAL=5.10;EXPIRE=2030-01-02T03:04:05.5+01:00;URLAUTH=User+b%40b";
        var rump = UrlRump.parse(text, SETTINGS).orElseThrow();
        assertEquals("jörg", rump.owner());
        assertEquals("Entwürfe/Alt", ((MailboxName.Valid) rump.part().mailbox()).name());
        assertEquals(OptionalLong.of(7), rump.part().uidValidity());
        assertEquals(List.of(5L, 10L), List.of(rump.part().offset(), rump.part().length()));
        assertEquals("BODY[HEADER.FIELDS (TO)]", rump.part().section().responseName());
        assertEquals(Optional.of(Instant.parse("2030-01-02T02:04:05.5Z")), rump.expire());
        assertEquals(new UrlRump.User("b@b"), rump.access());
        assertEquals(new UrlRump.AuthUser(), UrlRump.parse(EXAMPLE.replace("submit+fred", "AuthUser"), SETTINGS)
                .orElseThrow().access());
        assertEquals(new UrlRump.Anonymous(), UrlRump.parse(EXAMPLE.replace("submit+fred", "anonymous"), SETTINGS)
                .orElseThrow().access());
    }

    /** Refused, never thrown: malformed escapes, bad UTF-8, raw spaces and non-ASCII, out-of-range numbers. */
    @Test
    void hostileRumps() {
        for (var text : List.of(EXAMPLE.replace("INBOX", "IN%+1BOX"), EXAMPLE.replace("INBOX", "IN%-1BOX"),
                EXAMPLE.replace("INBOX", "INBOX%4"), EXAMPLE.replace("INBOX", "IN%C0BOX"), EXAMPLE.replace("INBOX", "IN BOX"),
                EXAMPLE.replace("INBOX", "INBÖX"), EXAMPLE.replace("INBOX", "IN%D9%A3BOX%٣٣"), EXAMPLE.replace("joe", "j%0"),
                EXAMPLE.replace("uid=20", "uid=0"), EXAMPLE.replace("uid=20", "uid=4294967296"),
                EXAMPLE.replace("submit+fred", "submit+"), EXAMPLE.replace("submit+fred", "submit+fr:ed"),
                EXAMPLE.replace(";urlauth", ";expire=2030-02-30T00:00:00Z;urlauth"),
                EXAMPLE.replace(";urlauth", ";expire=2030-01-01T00:00:60Z;urlauth"),
                EXAMPLE.replace("section=1.2", "section=1.0"), EXAMPLE.replace("@example.com", "@exa;mple.com"),
                EXAMPLE.replace("/INBOX", "/" + "a".repeat(300)), EXAMPLE + ":internal:" + "0".repeat(32), "", "imap://")) {
            assertEquals(Optional.empty(), UrlRump.parse(text, SETTINGS), text);
            assertInstanceOf(ImapUrl.Invalid.class, ImapUrl.parse(text + ":internal:" + "0".repeat(32), SETTINGS), text);
        }
        assertInstanceOf(ImapUrl.Invalid.class, ImapUrl.parse(EXAMPLE + ":internal:" + "0".repeat(31), SETTINGS),
                "a token has at least 128 bits (§3)");
        assertInstanceOf(ImapUrl.Invalid.class, ImapUrl.parse(EXAMPLE + ":in ternal:" + "0".repeat(32), SETTINGS));
    }

    /** Seeded random URLs of URL characters: each is a value or refused, and parsing ends. */
    @Test
    void randomUrlsEnd() {
        var random = new Random(4467);
        var alphabet = "imap:/@;=%+.-_~!$'()*,&0123456789ABCDEFabcdefUIDSECTIONURLAUTHEXPIRE";
        for (int i = 0; i < 20_000; i++) {
            var text = new StringBuilder(random.nextBoolean() ? EXAMPLE.substring(0, random.nextInt(EXAMPLE.length())) : "");
            for (int n = random.nextInt(60); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertTrue(ImapUrl.parse(text.toString(), SETTINGS) != null);
            UrlRump.parse(text.toString(), SETTINGS);
            assertTrue(!UrlRump.problem(text.toString(), SETTINGS).isEmpty());
        }
    }
}
