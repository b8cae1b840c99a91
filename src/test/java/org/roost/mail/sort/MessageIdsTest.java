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
    }

    @Test
    void readsEveryValidIdInOrderAndKeepsTheLast() {
        var field = "<a@x> (comment <no@x>)\r\n <b@x>, junk <not-an-id> <c@x> <@x> <d@>";
        assertEquals(List.of("a@x", "b@x", "c@x"), MessageIds.all(field, 10));
        assertEquals(List.of("b@x", "c@x"), MessageIds.all(field, 2));
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
