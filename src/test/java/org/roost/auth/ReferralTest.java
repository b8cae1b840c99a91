package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Login referrals (RFC 2221 §4.1) from Dovecot's fields: the IMAP URL (RFC 5092 §3) with the user
 * percent-encoded, {@code ;AUTH=} for AUTHENTICATE, IPv6 literals and ports, the default reasons; and fields no
 * database should hold (a host that would break the response, a port out of range, control characters and a
 * megabyte in the reason, an overlong destuser), which give no referral or a cleaned text, never a broken answer.
 */
class ReferralTest {
    private static Optional<Referral> referral(Map<String, String> fields, boolean nologin) {
        return Referral.of(fields, nologin);
    }

    @Test
    void theRfcFormsOfTheUrl() {
        var required = referral(Map.of("host", "server.foo.com"), true).orElseThrow();
        assertTrue(required.required());
        assertEquals("imap://MATTHEW@server.foo.com/", required.url("MATTHEW", Optional.empty()));
        assertEquals("imap://user;AUTH=GSSAPI@server.foo.com/", required.url("user", Optional.of("gssapi")));
        assertEquals("Try this server instead.", required.reason());
        var suggested = referral(Map.of("host", "2001:db8::1", "port", "1143", "destuser", "v@example.org"), false)
                .orElseThrow();
        assertFalse(suggested.required());
        assertEquals("imap://v%40example.org@[2001:db8::1]:1143/", suggested.url("visitor", Optional.empty()));
        assertEquals("Logged in, but you should use this server instead.", suggested.reason());
        assertEquals("imap://%C3%A9l%C3%A8ve%20%25%3B%3A%5D@[::1]/",
                referral(Map.of("host", "[::1]", "port", "143"), true).orElseThrow().url("élève %;:]", Optional.empty()));
        assertEquals("imap://a@192.0.2.7/", referral(Map.of("host", " 192.0.2.7 "), true).orElseThrow().url("a", Optional.empty()));
    }

    @Test
    void unusableFieldsGiveNoReferral() {
        for (var host : new String[] {"", " ", "bad]host", "a b", "host\r\n* OK", "-lead.example", "x..y", "[not:v6!]",
                "a".repeat(64) + ".example", "é.example", "1::2::3::4::5::6::7::8::9::0::1::2::3::4::5::6::7"}) {
            assertEquals(Optional.empty(), referral(Map.of("host", host), true), host);
        }
        for (var port : new String[] {"0", "65536", "-1", "143 ", "x", "99999999999"}) {
            assertEquals(port.equals("143 ") ? 143 : -1, referral(Map.of("host", "h", "port", port), true).map(Referral::port)
                    .orElse(-1), port);
        }
        assertEquals(Optional.empty(), referral(Map.of("host", "h", "destuser", ""), true));
        assertEquals(Optional.empty(), referral(Map.of("host", "h", "destuser", "u".repeat(256)), true));
        assertEquals(Optional.empty(), referral(Map.of("port", "993"), true), "no host, no referral");
    }

    @Test
    void reasonsBecomeOneLineOfPrintableAscii() {
        assertEquals("Moved to ]the[ new server ?",
                referral(Map.of("host", "h", "reason", "Moved \r\n to ]the[ new server é"), true).orElseThrow().reason());
        assertEquals(Referral.MAX_REASON, referral(Map.of("host", "h", "reason", "x".repeat(1 << 20)), false)
                .orElseThrow().reason().length());
        assertEquals("Try this server instead.", referral(Map.of("host", "h", "reason", " \t "), true).orElseThrow().reason());
    }

    /** Seeded random field values: a referral is either absent or makes a URL with nothing a response code ends at. */
    @Test
    void randomFieldsNeverBreakTheResponse() {
        var random = new Random(2221);
        var alphabet = "ab.-:[]% \r\n\t]\"\\é1";
        for (int i = 0; i < 5_000; i++) {
            var host = randomText(random, alphabet, 12);
            var user = randomText(random, alphabet, 8);
            var found = referral(Map.of("host", host, "port", Integer.toString(random.nextInt(70_000) - 100),
                    "reason", randomText(random, alphabet, 20)), random.nextBoolean());
            found.ifPresent(r -> {
                var url = r.url(user.isEmpty() ? "u" : user, Optional.of(randomText(random, alphabet, 5)));
                assertTrue(url.matches("imap://[A-Za-z0-9%._~-]+(;AUTH=[A-Za-z0-9%._~-]*)?@[A-Za-z0-9.:\\[\\]-]+(:[0-9]+)?/"), url);
                assertTrue(url.indexOf(']') < 0 || url.matches(".*@\\[[0-9A-Fa-f:.]+\\](:[0-9]+)?/"), url);
                assertTrue(r.reason().chars().allMatch(c -> c >= 0x20 && c < 0x7f), r.reason());
            });
        }
    }

    private static String randomText(Random random, String alphabet, int max) {
        var text = new StringBuilder();
        for (int i = random.nextInt(max + 1); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
