package org.roost.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MailboxNameCodecTest {

    @Test
    void rfc3501Section513Example() {
        var unicode = "~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e";
        var encoded = "~peter/mail/&U,BTFw-/&ZeVnLIqe-";
        assertEquals(encoded, MailboxNameCodec.encode(unicode));
        assertEquals(unicode, MailboxNameCodec.decode(encoded));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "INBOX|INBOX",
        "Entw\u00fcrfe|Entw&APw-rfe",
        "A&B|A&-B",
        "&|&-",
        "\u00e4&|&AOQ-&-",
        "caf\u00e9 \u00e9t\u00e9|caf&AOk- &AOk-t&AOk-",
        "\u00e9t\u00e9|&AOk-t&AOk-",
        "\ud83d\udce7 Mail|&2D3c5w- Mail",
        "\u00e4\u00f6\u00fc|&AOQA9gD8-",
    })
    void encodesAndDecodes(String unicode, String encoded) {
        assertEquals(encoded, MailboxNameCodec.encode(unicode));
        assertEquals(unicode, MailboxNameCodec.decode(encoded));
    }

    @Test
    void controlCharactersAreEncoded() {
        var encoded = MailboxNameCodec.encode("a\tb\u007f");
        assertFalse(encoded.contains("\t"));
        assertEquals("a\tb\u007f", MailboxNameCodec.decode(encoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&Jjo!",                 // RFC 3501 §5.1.3: unterminated, '!' is not BASE64
        "&U,BTFw-&ZeVnLIqe-",    // RFC 3501 §5.1.3: superfluous shift ("-&" in BASE64)
        "&",                     // unterminated
        "abc&AOQ",               // must end in US-ASCII
        "&AGE-",                 // 'a' (printable ASCII) encoded
        "&AOQ",                  // unterminated
        "&AO-",                  // not a whole UTF-16 unit
        "&AOQA-",                // dangling bits form no unit
        "&AOR-",                 // non-zero padding bits
        "&2D0-",                 // lone high surrogate
        "&3Kc-",                 // lone low surrogate
        "&A/Q-",                 // '/' is not modified BASE64
        "caf\u00e9",             // raw 8-bit character
        "tab\there",             // raw control character
    })
    void rejectsInvalidModifiedUtf7(String encoded) {
        assertThrows(IllegalArgumentException.class, () -> MailboxNameCodec.decode(encoded));
        assertFalse(MailboxNameCodec.isValid(encoded));
    }

    @Test
    void refusesToEncodeUnpairedSurrogates() {
        assertThrows(IllegalArgumentException.class, () -> MailboxNameCodec.encode("x\ud800"));
        assertThrows(IllegalArgumentException.class, () -> MailboxNameCodec.encode("\udc00y"));
    }

    @Test
    void randomStringsRoundTripAndEncodeToPrintableAscii() {
        var random = new Random(3501);
        for (int round = 0; round < 5000; round++) {
            var unicode = randomString(random);
            var encoded = MailboxNameCodec.encode(unicode);
            assertTrue(encoded.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), encoded);
            assertEquals(unicode, MailboxNameCodec.decode(encoded), encoded);
        }
    }

    private static String randomString(Random random) {
        var out = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> out.append((char) (0x20 + random.nextInt(0x5f)));
                case 1 -> out.append('&');
                case 2 -> out.append((char) (0xa0 + random.nextInt(0x700)));
                case 3 -> out.appendCodePoint(0x10000 + random.nextInt(0x10000));
                default -> out.append((char) random.nextInt(0x20));
            }
        }
        return out.toString();
    }
}
