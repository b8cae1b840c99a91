package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The sent date of RFC 5256 §2.2: UTC-normalized, lenient with zones, nothing without a valid date and time (as Dovecot). */
class SentDateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "31 Dec 2000 16:01:33 -0800               | 2001-01-01T00:01:33Z",
        "Sun, 31 Dec 2000 16:01:33 -0800           | 2001-01-01T00:01:33Z",
        "Mon, 7 Feb 1994 21:52:25 -0800 (PST)      | 1994-02-08T05:52:25Z",
        "7 Feb 94 21:52 PST                        | 1994-02-08T05:52:00Z",
        "7 feb 1994 21:52:25 +0130                 | 1994-02-07T20:22:25Z",
        "1 Jan 2020 10:00:00 XYZ                   | 2020-01-01T10:00:00Z",
        "1 Jan 2020 10:00:00 +9999                 | 2020-01-01T10:00:00Z",
        "1 Jan 2020 10:00:00                       | 2020-01-01T10:00:00Z",
        "(comment) 1 (x) Jan 2020 00:00:01 GMT     | 2020-01-01T00:00:01Z",
        "1 Jan 049 00:00:00 UT                     | 1949-01-01T00:00:00Z",
        "1 Jan 49 00:00:00 UT                      | 2049-01-01T00:00:00Z",
    })
    void normalizesToUtc(String field, String utc) {
        assertEquals(Instant.parse(utc).getEpochSecond(), SentDate.parse(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "32 Jan 2020 10:00:00 +0000", "1 Foo 2020", "1 Jan", "Mon,",
        "1 January 2020", "1 Jan 20200 10:00",
        "1 Jan 2020", "1 Jan 2020 25:00:00 +0100", "1 Jan 2020 noon"})
    void hasNoDateWithoutAValidOne(String field) {
        assertNull(SentDate.parse(field));
    }

    /**
     * A field of printable ASCII is split in one pass; any other one the general way. A comment with a
     * non-ASCII letter appended changes no field's date but sends it the general way: both ways must agree,
     * on fields made of what trips a splitter (comments open, closed and nested, commas, runs of white space,
     * stray parentheses) around real dates.
     */
    @Test
    void splitsAPlainFieldAsAnyOther() {
        var random = new java.util.Random(15);
        String[] pieces = {"(", ")", ",", " ", "\t", "\r\n ", "  ", "Mon", "mon,", "7", "31", "feb", "Feb", "1994",
            "94", "21:52:25", "21:52", "(PST)", "-0800", "+0130", "pst", "edt", "x", ":", "0"};
        int dated = 0;
        for (int round = 0; round < 20_000; round++) {
            var field = new StringBuilder();
            for (int k = random.nextInt(12); k >= 0; k--) {
                field.append(pieces[random.nextInt(pieces.length)]);
                if (random.nextInt(3) > 0) {
                    field.append(' ');
                }
                if (random.nextInt(8) == 0) {
                    field.append("7 Feb 1994 21:52:25 ");
                }
            }
            var plain = field.toString();
            var parsed = SentDate.parse(plain);
            dated += parsed == null ? 0 : 1;
            assertEquals(SentDate.parse(plain + " (\u00e9t\u00e9)"), parsed, plain);
        }
        assertTrue(dated > 100, "dates among the fields: " + dated);
    }

    @Test
    void hasNoDateWithoutAField() {
        assertNull(SentDate.parse(null));
    }
}
