package org.roost.fts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.roost.index.IndexCache;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;

/**
 * Keeps the users' indexes current in the background: one thread takes mailboxes from a bounded queue
 * and brings each one's documents in line with its messages (adds the missing, removes the expunged).
 * A mailbox asked for while it waits is queued once; when the queue is full the request is dropped, and
 * the next search of that mailbox scans what is missing and asks again. A change of a mailbox is queued
 * when the {@link Backlog} says so: at once, or (deferred) when a search needs the mailbox or its user's
 * backlog passes its bound.
 */
final class Indexer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Indexer.class.getName());
    /** Commits (fsyncs) this often while a mailbox is indexed, so a crash loses little work. */
    private static final int COMMIT_EVERY = 20_000;
    /** Asks the index's size this often (it lists the index's files), and before the first message. */
    private static final int MEASURE_EVERY = 64;
    private final FullTextSearch indexes;
    private final IndexCache mailboxes;
    private final FullTextOptions options;
    private final IndexLimit limit;
    private final LinkedBlockingQueue<Job> queue;
    /** The changes left for a search ({@code fts.deferredMessagesPerUser}). */
    private final Backlog backlog;
    private final Set<Job> waiting = ConcurrentHashMap.newKeySet();
    /**
     * Indexes written to since their last commit, committed (fsynced) together at most once per
     * {@code commitInterval}: a commit per delivery would cost more than indexing the message does.
     */
    private final PeriodicBatch commits;
    /**
     * What the writers buffer, bounded in all. Searchers are reopened when a search wants them to (at most
     * once per {@code refreshInterval}, {@link UserIndex#refreshForSearch}) or at a commit, not for every
     * index written to: each reopen writes a segment (merged later), which under delivery alone cost about
     * as much as inverting the messages did.
     */
    private final WriteBuffers buffers;
    /** The texts of the messages indexed last: the copies of one delivery to several users are read once. */
    private final RecentTexts recentTexts;
    private final AtomicLong indexed = new AtomicLong();
    /** Catch-ups that compared every UID of a mailbox with the index's (the others looked at new mail only). */
    private final AtomicLong fullCatchUps = new AtomicLong();
    private static final long[] NONE = {};
    private final Object idle = new Object();
    private final Thread worker;
    private volatile boolean busy;
    private volatile boolean closed;

    private sealed interface Job {
        String user();
    }

    /** Brings one mailbox's documents in line with its messages. */
    private record CatchUp(String user, String mailbox) implements Job {}

    /**
     * Reads every file of a user's index against its checksums: Lucene checks them when merging, not when
     * searching, and a damaged postings file could hide a message from a search.
     */
    private record Verify(String user, UserIndex index) implements Job {}

    Indexer(FullTextSearch indexes, IndexCache mailboxes, FullTextOptions options, IndexLimit limit) {
        this.indexes = indexes;
        this.mailboxes = mailboxes;
        this.options = options;
        this.limit = limit;
        this.queue = new LinkedBlockingQueue<>(options.queueBound());
        this.commits = new PeriodicBatch("commit", options.commitInterval(), UserIndex::commit);
        long bufferBytes = (long) (options.ramBufferMb() * 1024 * 1024);
        this.buffers = new WriteBuffers(bufferBytes);
        this.recentTexts = new RecentTexts(bufferBytes / 2);
        this.worker = Thread.ofPlatform().name("roost-fts-indexer").daemon().start(this::run);
        this.backlog = new Backlog(options.deferredMessagesPerUser(), options.queueBound());
        mailboxes.watchContent(this::changed);
    }

    /** Told by the mailboxes that {@code added} messages came to {@code mailbox} (or some left). */
    private void changed(String user, String mailbox, int added) {
        backlog.changed(user, mailbox, added).forEach(due -> request(due.user(), due.name()));
    }

    /** New messages of {@code user} left for a search. */
    long waiting(String user) {
        return backlog.waiting(user);
    }

    /** Queues {@code mailbox} of {@code user} to be caught up, unless it already waits or the queue is full. */
    void request(String user, String mailbox) {
        offer(new CatchUp(user, mailbox));
    }

    /** Queues a check of the files of {@code user}'s {@code index}, just opened. */
    void verify(String user, UserIndex index) {
        offer(new Verify(user, index));
    }

    private void offer(Job job) {
        if (waiting.add(job) && !queue.offer(job)) {
            waiting.remove(job);
        }
    }

    /** Queues every mailbox of {@code user}. */
    void requestAll(String user) throws IOException {
        for (var info : mailboxes.mailboxes(user).list()) {
            if (info.selectable()) {
                request(user, info.name());
            }
        }
    }

    /** Indexes every mailbox of {@code user} now, in the calling thread; the number of messages added. */
    int indexAll(String user) throws IOException {
        int added = 0;
        var index = indexes.index(user);
        for (var info : mailboxes.mailboxes(user).list()) {
            if (info.selectable()) {
                added += catchUp(index, user, info.name());
                index.commit();
            }
        }
        return added;
    }

    int depth() {
        return queue.size();
    }

    long indexed() {
        return indexed.get();
    }

    long fullCatchUps() {
        return fullCatchUps.get();
    }

    /**
     * Waits until no job waits and none runs. {@code waiting} is read before {@code busy}: the worker sets
     * {@code busy} before it removes the job it took from {@code waiting}, so no moment between the take and
     * the work looks idle (reading the queue instead missed a job just taken).
     */
    void awaitIdle() throws InterruptedException {
        synchronized (idle) {
            while (!waiting.isEmpty() || busy) {
                idle.wait(100);
            }
        }
    }

    private void run() {
        while (!closed) {
            Job job;
            try {
                long wait = commits.untilDue();
                job = wait == Long.MAX_VALUE ? queue.take() : queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                commits.runIfDue();
                continue;
            }
            busy = true;
            waiting.remove(job);
            try {
                switch (job) {
                    case CatchUp c -> catchUp(c.user(), c.mailbox());
                    case Verify v -> verifyNow(v.user(), v.index());
                }
            } catch (AlreadyClosedException discarded) {
                // closed meanwhile by a rebuild (which queues the mailbox again) or to make room (a search queues it again)
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "full-text indexing for {0} failed: {1}", job, e.toString());
            } finally {
                commits.runIfDue();
                busy = false;
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        }
    }

    private void verifyNow(String user, UserIndex index) {
        try {
            index.verify();
        } catch (AlreadyClosedException closed) {
            // closed to make room meanwhile: checked again when it is next opened
        } catch (IOException | RuntimeException damaged) {
            indexes.damaged(user, damaged);
        }
    }

    /** Catches one mailbox up; its index is committed with the others' when due. */
    private void catchUp(String user, String mailbox) throws IOException {
        var index = indexes.index(user);
        try {
            catchUp(index, user, mailbox);
        } finally {
            commits.add(index);
        }
    }

    /**
     * Adds the messages of the mailbox the index lacks and removes those it has no more, uncommitted (searches
     * see them at once); the number added. A mailbox caught up before that lost no message since has only its
     * new messages added: nothing of what the index holds is read.
     */
    private int catchUp(UserIndex index, String user, String mailbox) throws IOException {
        // Before the view: what comes after it is counted again.
        backlog.catchingUp(user, mailbox).forEach(forgotten -> request(forgotten.user(), forgotten.name()));
        var state = mailboxes.open(user, mailbox);
        var view = new MailboxView(state, true);
        try {
            var key = FullTextSearch.mailboxKey(state.name(), view.uidValidity());
            var mark = index.caughtUp(key);
            if (mark != null && mark.prefixOf(view)) {
                return addMissing(user, index, state, view, key, mark.count() + 1, NONE);
            }
            if (mark != null) {
                return afterExpunge(user, index, state, view, key, mark);
            }
            fullCatchUps.incrementAndGet();
            index.refresh();
            long[] known = known(index, key);
            removeGone(index, view, key, known);
            index.deleteOtherGenerations(state.name(), key);
            return addMissing(user, index, state, view, key, 1, known);
        } finally {
            view.close();
        }
    }

    /**
     * Catches up a mailbox that lost messages since it was caught up to {@code mark}, without reading the
     * index: it held the mark's messages (every one still here, as UIDs only grow), perhaps some newer ones
     * from a catch-up cut short; those not here any more are removed, and those after the mark (re)added.
     */
    private int afterExpunge(String user, UserIndex index, MailboxState state, MailboxView view, String key,
            UserIndex.CaughtUp mark) throws IOException {
        var present = new long[view.count()];
        int first = view.count() + 1;
        for (int seq = view.count(); seq >= 1; seq--) {
            present[seq - 1] = view.uid(seq);
            if (present[seq - 1] > mark.lastUid()) {
                first = seq;
            }
        }
        index.keepOnly(key, present);
        return addMissing(user, index, state, view, key, first, NONE);
    }

    private static long[] known(UserIndex index, String key) throws IOException {
        var searcher = index.acquire();
        try {
            return UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, key)));
        } finally {
            index.release(searcher);
        }
    }

    /**
     * Adds the messages from {@code first} on that {@code known} lacks, in UID order, until the user's index
     * reaches its limit; notes the mailbox caught up when every one of them is in.
     */
    private int addMissing(String user, UserIndex index, MailboxState state, MailboxView view, String key, int first,
            long[] known) throws IOException {
        int added = 0;
        int tried = 0;
        boolean complete = true;
        for (int seq = first; seq <= view.count(); seq++) {
            long uid = view.uid(seq);
            if (Arrays.binarySearch(known, uid) >= 0) {
                continue;
            }
            if (closed || tried++ % MEASURE_EVERY == 0 && !limit.allows(user, index)) {
                complete = false;
                break;
            }
            if (add(index, state, view.message(seq), key)) {
                added++;
                indexed.incrementAndGet();
                buffers.add(index);
                buffers.bound();
                if (added % COMMIT_EVERY == 0) {
                    index.commit();
                }
            } else {
                complete = false; // gone: the catch-up after its expunge removes it
            }
        }
        if (complete) {
            index.caughtUp(key, UserIndex.CaughtUp.of(view));
        }
        return added;
    }

    /** False when the message is gone: its expunge follows. */
    private boolean add(UserIndex index, MailboxState state, StoredMessage message, String key) throws IOException {
        var id = MessageDocument.id(key, message.uid());
        try (var in = state.open(message)) {
            var texts = recentTexts.texts(in, normalized -> MessageDocument.texts(state.structure(message), normalized,
                    options.maxTextChars(), indexes.attachments()));
            index.put(id, MessageDocument.of(key, message.uid(), texts, options.positionedChars()));
        } catch (MessageNotFoundException gone) {
            return false;
        } catch (IOException | RuntimeException unreadable) {
            LOG.log(System.Logger.Level.INFO, "message {0} of {1}/{2} cannot be indexed ({3}); searches read it",
                    message.uid(), state.user(), state.name(), unreadable.toString());
            index.put(id, MessageDocument.unreadable(key, message.uid()));
        }
        return true;
    }

    private static void removeGone(UserIndex index, MailboxView view, String key, long[] known) throws IOException {
        var present = new long[view.count()];
        for (int seq = 1; seq <= view.count(); seq++) {
            present[seq - 1] = view.uid(seq);
        }
        var gone = new ArrayList<Term>();
        for (long uid : known) {
            if (Arrays.binarySearch(present, uid) < 0) {
                gone.add(MessageDocument.id(key, uid));
            }
        }
        if (!gone.isEmpty()) {
            index.delete(gone.toArray(Term[]::new));
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
