package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.mail.sort.BaseSubject;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * THREAD=REFERENCES (RFC 5256 §3) on hostile references: loops, self references, a chain of a
 * million messages in either order, references to every ancestor; none may loop, overflow the
 * stack or take quadratic time (the JUnit timeouts only catch hangs).
 */
class ReferenceThreadsTest {
    private static final int MAX_DEPTH = 1000;

    private static ThreadFacts message(long date, String id, String... references) {
        return new ThreadFacts(date, BaseSubject.EMPTY, id, List.of(references));
    }

    private static String thread(ThreadFacts... facts) throws IOException {
        return thread(facts, MAX_DEPTH);
    }

    private static String thread(ThreadFacts[] facts, int maxDepth) throws IOException {
        var found = new int[facts.length];
        for (int i = 0; i < found.length; i++) {
            found[i] = i + 1;
        }
        var bytes = new ByteArrayOutputStream();
        var out = new ResponseBuffer(bytes);
        ThreadResponse.write(out, ReferenceThreads.of(found, ThreadKeys.of(facts), maxDepth, Cancellation.never()), seq -> seq);
        out.drain();
        var line = bytes.toString(StandardCharsets.US_ASCII);
        assertTrue(line.endsWith("\r\n"));
        return line.substring(0, line.length() - 2);
    }

    @Test
    void aLoopOfTwoIsCutWhereItWouldClose() throws IOException {
        // 1 replies to 2 and 2 to 1: 1 goes under 2 first; linking 2 under 1 would close the loop
        assertEquals("* THREAD (2 1)", thread(message(1, "a@x", "b@x"), message(2, "b@x", "a@x")));
    }

    @Test
    void aMessageReferringToItselfHasNoParent() throws IOException {
        assertEquals("* THREAD (1)(2)", thread(message(1, "a@x", "a@x"), message(2, "b@x", "b@x", "b@x")));
    }

    @Test
    void aLoopInsideReferencesIsNotFollowed() throws IOException {
        // References a b c a b c: the second "c a" link would make a its own descendant
        assertEquals("* THREAD ((1)(2))", thread(message(1, "m1@x", "a@x", "b@x", "c@x", "a@x", "b@x", "c@x"),
                message(2, "m2@x", "c@x", "b@x", "a@x")));
    }

    @Test
    void duplicateIdsBelongToTheFirstMessage() throws IOException {
        // RFC 5256 §3 1.A: 2 repeats 1's ID and gets one of its own; 3 replies to the first
        assertEquals("* THREAD (1 3)(2)", thread(message(1, "a@x"), message(2, "a@x"), message(3, "c@x", "a@x")));
    }

    @Test
    void missingIdsGetUniqueOnesAndDummiesGroupSiblings() throws IOException {
        // 1 and 2 reply to a message not in the mailbox: a dummy parent holds them (§4 example "((3)(5))")
        assertEquals("* THREAD ((1)(2))(3)", thread(message(1, null, "gone@x"), message(2, null, "gone@x"),
                message(3, null)));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMillionMessageChainInOrder() throws IOException {
        int n = 1_000_000;
        var facts = new ThreadFacts[n];
        for (int i = 0; i < n; i++) {
            facts[i] = i == 0 ? message(i, "0@x") : message(i, i + "@x", (i - 1) + "@x");
        }
        var line = thread(facts);
        assertTrue(line.startsWith("* THREAD (1 2 3 4 "), line.substring(0, 40));
        assertTrue(line.endsWith(" 999999 1000000)"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLongChainInReverseOrder() throws IOException {
        // each message replies to the next one: every link goes under a node that has descendants
        int n = 300_000;
        var facts = new ThreadFacts[n];
        for (int i = 0; i < n; i++) {
            facts[i] = message(n - i, i + "@x", (i + 1) + "@x");
        }
        var line = thread(facts);
        assertTrue(line.startsWith("* THREAD (300000 299999 299998 "), line.substring(0, 40));
        assertTrue(line.endsWith(" 2 1)"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void referencesToEveryAncestorAreBoundedByTheDepth() throws IOException {
        // each message lists all its ancestors (read: the last maxDepth of them), in reverse mailbox order
        int n = 3000;
        int maxDepth = 50;
        var facts = new ThreadFacts[n];
        for (int i = 0; i < n; i++) {
            var references = new ArrayList<String>();
            for (int a = Math.max(0, i - maxDepth); a < i; a++) {
                references.add((n - a) + "@x");
            }
            facts[n - 1 - i] = new ThreadFacts(i, BaseSubject.EMPTY, (n - i) + "@x", references);
        }
        var line = thread(facts, maxDepth);
        assertTrue(line.startsWith("* THREAD (3000 2999 2998 "), line.substring(0, 40));
    }

    @Test
    void stopsWhenTheClientIsGone() {
        var facts = new ThreadFacts[10_000];
        for (int i = 0; i < facts.length; i++) {
            facts[i] = message(i, i + "@x", "root@x");
        }
        var checks = new AtomicInteger();
        Cancellation goneAfterTen = () -> {
            if (checks.incrementAndGet() > 10) {
                throw new Cancellation.Cancelled(true);
            }
        };
        var found = new int[facts.length];
        var keys = ThreadKeys.of(facts);
        assertThrows(Cancellation.Cancelled.class, () -> ReferenceThreads.of(found, keys, MAX_DEPTH, goneAfterTen));
    }
}
