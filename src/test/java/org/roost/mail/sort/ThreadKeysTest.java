package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The columns of {@link ThreadKeys}: equal IDs and subjects share numbers, a selection may miss rows. */
class ThreadKeysTest {
    private final ThreadKeys keys = ThreadKeys.of(new ThreadFacts[] {
            new ThreadFacts(30, BaseSubject.of("Re: beta"), "a@x", List.of("c@x", "b@x")),
            new ThreadFacts(10, BaseSubject.of(""), null, List.of()),
            new ThreadFacts(20, BaseSubject.of("alpha"), "b@x", List.of("a@x")),
            new ThreadFacts(40, BaseSubject.of("BETA"), "a@x", List.of())});

    @Test
    void equalIdsShareANumberAndReferencesKeepTheirOrder() {
        assertEquals(3, keys.idCount());
        assertEquals(keys.messageId(0), keys.messageId(3));
        assertEquals(ThreadKeys.NONE, keys.messageId(1));
        assertEquals(2, keys.referenceCount(0));
        assertEquals(keys.messageId(2), keys.reference(0, 1));
        assertEquals(keys.messageId(0), keys.reference(2, 0));
        assertNotEquals(keys.messageId(0), keys.reference(0, 0)); // c@x: only referenced
    }

    @Test
    void subjectsAreRankedInCasemapOrderTheEmptyOneZero() {
        assertEquals(0, keys.subject(1));
        assertTrue(keys.subject(2) < keys.subject(0)); // ALPHA before BETA
        assertEquals(keys.subject(0), keys.subject(3));
        assertEquals(3, keys.subjectCount());
        assertTrue(keys.replyOrForward(0));
        assertFalse(keys.replyOrForward(3));
    }

    @Test
    void aSelectionTakesRowsInItsOrderAndMissingRowsHaveOnlyADate() {
        var selected = keys.select(new int[] {3, ThreadKeys.NONE, 0}, i -> 1000 + i);
        assertEquals(3, selected.size());
        assertEquals(40, selected.sentDate(0));
        assertEquals(1001, selected.sentDate(1));
        assertEquals(0, selected.subject(1));
        assertEquals(ThreadKeys.NONE, selected.messageId(1));
        assertEquals(0, selected.referenceCount(1));
        assertEquals(keys.reference(0, 1), selected.reference(2, 1));
        assertTrue(selected.replyOrForward(2));
        assertEquals(keys.idCount(), selected.idCount());
    }

    @Test
    void noMessagesMakeEmptyKeys() {
        var empty = ThreadKeys.of(new ThreadFacts[0]);
        assertEquals(0, empty.size());
        assertEquals(0, empty.select(new int[0], i -> 0).size());
    }
}
