package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Message IDs normalized as RFC 5256 §3 (REFERENCES) requires. */
class MessageIdsTest {

    @Test
    void quotingDoesNotMakeAnotherId() {
        // the RFC's own example
        assertEquals("01KF8JCEOCBS0045PS@xxx.yyy.com", MessageIds.first("<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>"));
        assertEquals("01KF8JCEOCBS0045PS@xxx.yyy.com", MessageIds.first("<01KF8JCEOCBS0045PS@xxx.yyy.com>"));
        assertEquals("a b>c@d", MessageIds.first("<\"a b\\>c\"@d>"));
        // Dovecot's own cases: comments anywhere between the tokens, spaces kept inside quotes
        assertEquals("foo@bar", MessageIds.first("(c) < (c) foo (c) @ (c) bar (c) > (c)"));
        assertEquals("foo 2@bar", MessageIds.first("<\"foo 2\"@bar>"));
        assertEquals("a.b.c@[1.2.3.4]", MessageIds.first("<a.\"b\".c@[1.2.3.4]>"));
    }

    @Test
    void readsEveryValidIdInOrderAndKeepsTheLast() {
        var field = "<a@x> (comment <no@x>)\r\n <b@x>, junk <not-an-id> <c@x> <@x> <d@> <e@x";
        assertEquals(List.of("a@x", "no@x", "b@x", "c@x"), MessageIds.all(field, 10));
        assertEquals(List.of("b@x", "c@x"), MessageIds.all(field, 2));
    }

    @Test
    void aMalformedIdSkipsToTheNextOpening() {
        // as Dovecot: a quote inside an atom is no ID; reading goes on where the ID stopped making
        // sense, which is before an unclosed quote, but after a closed one
        assertEquals(List.of("b@x"), MessageIds.all("<17\"@x> <\"b@x> <b@x>", 10));
        assertEquals(List.of("17@x> <b@x"), MessageIds.all("<\"17@x> <b\"@x>", 10));
        assertEquals(List.of(), MessageIds.all("<\"34@x> <\"19\"@x>", 10));
        assertEquals(List.of("b@x"), MessageIds.all("<a@x <b@x>", 10));
    }

    @Test
    void hostileFieldsAreReadInLinearTime() {
        // 64 KiB of unclosed IDs and quotes (a header's limit): quadratic scanning would take minutes
        for (var unit : List.of("<\"", "<", "<\"<", "(<", "<(", "< \"a\"", "<a.")) {
            assertEquals(List.of(), MessageIds.all(unit.repeat(65_536 / unit.length()), 10), unit);
        }
    }

    @Test
    void caseStays() {
        assertEquals("ABC@x", MessageIds.first("<ABC@x>"));
    }

    @Test
    void noValidIdIsNull() {
        assertNull(MessageIds.first(null));
        assertNull(MessageIds.first("no id at all"));
        assertNull(MessageIds.first("<unclosed@x"));
        assertNull(MessageIds.first("<nohost>"));
        assertEquals(List.of(), MessageIds.all("<<<<<<", 5));
    }

    @Test
    void theFirstValidIdOfInReplyToIsTheParent() {
        assertEquals("p@x", MessageIds.first("Your message of Monday <bad> <p@x> <q@x>"));
    }
}
