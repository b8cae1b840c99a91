package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.mail.sort.BaseSubject;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * THREAD=REFS: the threads of REFERENCES without subject merging, ordered by their latest message. The
 * expected answers are Debian's Dovecot 2.3.19's for the same messages (DovecotSortComparisonTest compares
 * seeded mailboxes with it as well).
 */
class RefsThreadsTest {

    private static ThreadFacts message(long hour, String id, String... references) {
        return new ThreadFacts(hour * 3_600_000L, BaseSubject.EMPTY, id, List.of(references));
    }

    private static String refs(ThreadFacts... facts) throws IOException {
        var found = new int[facts.length];
        for (int i = 0; i < found.length; i++) {
            found[i] = i + 1;
        }
        var bytes = new ByteArrayOutputStream();
        var out = new ResponseBuffer(bytes);
        ThreadResponse.write(out, ReferenceThreads.refs(found, ThreadKeys.of(facts), 1000, Cancellation.never()), seq -> seq);
        out.drain();
        return bytes.toString(StandardCharsets.US_ASCII).strip();
    }

    @Test
    void threadsGoByTheirLatestMessage() throws IOException {
        // Dovecot: REFERENCES "(6 7)((3)(2))(1)(4 5)" (by each thread's first message), REFS as below
        assertEquals("* THREAD (1)((3)(2))(4 5)(6 7)", refs(
                message(10, "a@x", "m1@x"), message(11, "b@x", "m2@x"), message(9, "c@x", "m2@x"),
                message(12, "d@x"), message(8, "e@x", "d@x"), message(7, "f@x"), message(13, "g@x", "zz@x", "f@x")));
    }

    @Test
    void onEqualDatesAThreadUnderADummyComesFirstThenByFirstMessage() throws IOException {
        // all at one hour: 2's thread stood under the dummy "gone" (UID 0 to Dovecot), then 1, then 3
        assertEquals("* THREAD (2)(1)(3)", refs(message(5, "a@x"), message(5, "b@x", "gone@x"), message(5, "c@x")));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMillionDeepChainNeedsNoStack() throws IOException {
        var chain = new ThreadFacts[1_000_000];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = i == 0 ? message(0, "m0@x") : message(i, "m" + i + "@x", "m" + (i - 1) + "@x");
        }
        var line = refs(chain);
        assertEquals("* THREAD (1 2 3 ", line.substring(0, 16));
    }
}
