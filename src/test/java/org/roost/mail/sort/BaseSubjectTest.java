package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Base subject extraction, RFC 5256 §2.1 steps (1)-(6), and the reply/forward mark of §3 REFERENCES. */
class BaseSubjectTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "hello                              | HELLO              | false",
        "Re: hello                          | HELLO              | true",
        "RE:   Re: re:hello                 | HELLO              | true",
        "Fwd: hello                         | HELLO              | true",
        "fw[x]: hello                       | HELLO              | true",
        "Re [2]: hello                      | HELLO              | true",
        "[list] Re: hello                   | HELLO              | true",
        "[list] hello                       | HELLO              | false",
        "[list]                             | [LIST]             | false",
        "[a] [b]                            | [B]                | false",
        "Re: [list]                         | [LIST]             | true",
        "hello (fwd)                        | HELLO              | true",
        "hello (fwd) (FWD)                  | HELLO              | true",
        "[Fwd: Re: hello]                   | HELLO              | true",
        "[fwd: [fwd: hello (fwd)]]          | HELLO              | true",
        "Re: [fwd: hello]                   | HELLO              | true",
        "'  hello\t  world  '               | HELLO WORLD        | false",
        "Reply: hello                       | REPLY: HELLO       | false",
        "re : hello                         | HELLO              | true",
        "[unclosed hello                    | [UNCLOSED HELLO    | false",
        "Re:                                | ''                 | true",
        "''                                 | ''                 | false",
    })
    void extractsAsTheRfcSays(String subject, String base, boolean replyOrForward) {
        var extracted = BaseSubject.of(subject);
        assertEquals(new BaseSubject(base, replyOrForward), extracted, subject);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "été | E\u0301TE\u0301",
        "ǆ | Dz\u030c",
        "Straße | STRAßE",
        "ﬁle | fiLE",
    })
    void comparesInUnicodeCasemapForm(String subject, String key) {
        // RFC 5051 §2: the simple titlecase mapping (none for ß), then full decomposition, whose letters
        // stay as they come (U+FB01 decomposes to a lower-case "fi"; U+01C6 titlecases to U+01C5, D z caron)
        assertEquals(key, BaseSubject.of(subject).text());
    }
}
