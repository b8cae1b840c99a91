package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;
import org.roost.mail.StoredMessage;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.ForwardingMailboxStore;

/**
 * Appends that meet at a mailbox share one storage commit and one index transaction (a group commit), and
 * an addition that cannot be committed fails alone. Counted, not timed.
 */
@Timeout(60)
class GroupCommitTest {
    private static final int WRITERS = 8;
    @TempDir
    Path dir;

    /** Counts commits; the first one waits until every writer has written its message. */
    private static final class Counting extends ForwardingMailboxStore {
        final AtomicInteger commits = new AtomicInteger();
        final CountDownLatch allPrepared = new CountDownLatch(WRITERS);

        Counting(MailboxStore delegate) {
            super(delegate);
        }

        @Override
        public PreparedMessage prepare(InputStream data, Instant date) throws IOException {
            var prepared = super.prepare(data, date);
            allPrepared.countDown();
            return prepared;
        }

        @Override
        public List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException {
            if (commits.incrementAndGet() == 1) {
                try {
                    allPrepared.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return super.commit(additions);
        }
    }

    private static ByteArrayInputStream message(int i) {
        return new ByteArrayInputStream(("Subject: " + i + "\r\n\r\nbody " + i + "\r\n").getBytes());
    }

    @Test
    void concurrentAppendsShareCommits() throws Exception {
        var store = new Counting(new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(dir).mailbox("INBOX"));
        var state = new MailboxState("u", "INBOX", store, true, false);
        var results = new ArrayList<Future<StoredMessage>>();
        try (var pool = Executors.newFixedThreadPool(WRITERS)) {
            for (int i = 0; i < WRITERS; i++) {
                int n = i;
                results.add(pool.submit(() -> state.append(message(n), Set.of(), Set.of(), Instant.now())));
            }
            var uids = new ArrayList<Long>();
            for (var r : results) {
                uids.add(r.get().uid());
            }
            assertEquals(WRITERS, uids.stream().distinct().count());
        }
        assertTrue(store.commits.get() <= 3, "8 appends in " + store.commits.get() + " commits");
        assertEquals(WRITERS, state.current().count());
        var reopened = new MailboxState("u", "INBOX", new MaildirDriver(MaildirOptions.defaults().withFsync(false))
                .open(dir).mailbox("INBOX"), true, false);
        assertEquals(WRITERS, reopened.current().count(), "the index transaction holds them all");
    }

    @Test
    void aBadAdditionFailsAlone() throws Exception {
        var store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(dir).mailbox("INBOX");
        var state = new MailboxState("u", "INBOX", store, true, false);
        var tooMany = new java.util.HashSet<String>();
        for (int k = 0; k < 30; k++) {
            tooMany.add("k" + k); // Maildir has letters for 26 keywords
        }
        var results = new ArrayList<Future<?>>();
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                int n = i;
                results.add(pool.submit(() -> state.append(message(n), Set.of(), n == 2 ? tooMany : Set.of(),
                        Instant.now())));
            }
            int failed = 0;
            for (var r : results) {
                try {
                    r.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof org.roost.mail.InvalidKeywordException, e.toString());
                    failed++;
                }
            }
            assertEquals(1, failed);
        }
        assertEquals(3, state.current().count());
    }
}
