package org.roost.fts;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.AlreadyClosedException;
import org.roost.index.IndexCache;
import org.roost.index.MailboxView;
import org.roost.mail.mime.SearchText;

/**
 * The full-text index of every user: one Lucene index per user under {@link FullTextOptions#directory},
 * each message a document keyed by its mailbox (name and UIDVALIDITY) and UID. SEARCH asks it for
 * candidates ({@link #lookup}); the {@link Indexer} keeps it current in the background. The mail stays the
 * truth: what the index lacks is scanned, and an index that cannot be read is rebuilt from the mail.
 */
public final class FullTextSearch implements Closeable {
    private static final System.Logger LOG = System.getLogger(FullTextSearch.class.getName());
    private final FullTextOptions options;
    private final OpenIndexes open;
    private final IndexedUids indexedUids = new IndexedUids();
    private final IndexLimit limit;
    private final TikaAttachments attachments;
    private final Indexer indexer;

    /** Keeps the indexes of the users of {@code mailboxes} as {@code options} say. */
    public FullTextSearch(FullTextOptions options, IndexCache mailboxes) {
        this.options = options;
        this.open = new OpenIndexes(options.maxOpenIndexes());
        var a = options.attachments();
        this.attachments = options.enabled()
                ? new TikaAttachments(a.maxBytes(), options.maxTextChars(), a.timeout(), a.threads()) : null;
        this.limit = new IndexLimit(options.maxIndexBytesPerUser());
        this.indexer = options.enabled() ? new Indexer(this, mailboxes, options, limit) : null;
    }

    /** No index: every text search scans, and attachments are not read. */
    public static FullTextSearch disabled() {
        return new FullTextSearch(FullTextOptions.off(), null);
    }

    /**
     * How text searches read attachments: through Tika when the index is on (the index holds their text,
     * so the matcher must read it too), not at all when it is off.
     */
    public SearchText.AttachmentReader attachments() {
        return attachments == null ? SearchText.AttachmentReader.NONE : attachments;
    }

    public boolean enabled() {
        return options.enabled();
    }

    /**
     * What one SEARCH of {@code view} may ask the index; empty when there is no index or it cannot be
     * read (the search then scans, and the index is rebuilt). A mailbox the index lags behind is queued
     * for the indexer (unless its user's index is at its limit: a change of the mailbox queues it then);
     * meanwhile its newer messages are candidates for every needle, as are those indexed but not yet
     * visible to the searcher ({@code fts.refreshInterval}). This is how new mail left for a search
     * ({@code fts.deferredMessagesPerUser}) gets indexed: the first search reads it, as it would without
     * an index, and the indexer takes the mailbox next.
     */
    public Optional<Lookup> lookup(MailboxView view) {
        if (!enabled()) {
            return Optional.empty();
        }
        var state = view.state();
        try {
            var index = index(state.user());
            reopenForSearch(index);
            IndexSearcher searcher = index.acquire();
            var key = mailboxKey(state.name(), view.uidValidity());
            Lookup lookup;
            try {
                lookup = new Lookup(index, searcher, key, indexedUids);
            } catch (IOException | RuntimeException e) {
                index.release(searcher);
                throw e;
            }
            if (!lookup.current(view) && !index.caughtUpWith(key, view) && !limit.reached(state.user())) {
                indexer.request(state.user(), state.name());
            }
            return Optional.of(lookup);
        } catch (AlreadyClosedException e) {
            return Optional.empty(); // closed as the least recently used meanwhile: this search reads the mail
        } catch (IOException | RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) { // an interrupted read (server stopping) is no damage
                damaged(state.user(), e);
            }
            return Optional.empty();
        }
    }

    /**
     * Lets the search see what was indexed since the searcher was last reopened (at most once per
     * {@code fts.refreshInterval}); a reopen that fails (a full disk) leaves the searcher as it was, and the
     * search reads the messages it does not see.
     */
    private void reopenForSearch(UserIndex index) {
        try {
            index.refreshForSearch(options.refreshInterval().toNanos());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "reopening a full-text searcher failed: {0}", e.toString());
        }
    }

    /** Forgets {@code user}'s index and indexes every mailbox again, in the background. */
    public void rebuild(String user) throws IOException {
        discard(user);
        indexer.requestAll(user);
    }

    /** Forgets {@code user}'s index and indexes every mailbox again before it returns (the CLI's way). */
    public int rebuildNow(String user) throws IOException {
        discard(user);
        return indexer.indexAll(user);
    }

    /** Mailboxes waiting for the indexer. */
    public int queueDepth() {
        return indexer == null ? 0 : indexer.depth();
    }

    /** New messages of {@code user} left for a search, not indexed yet ({@code fts.deferredMessagesPerUser}). */
    long waiting(String user) {
        return indexer == null ? 0 : indexer.waiting(user);
    }

    /** Messages indexed since the start. */
    public long indexedMessages() {
        return indexer == null ? 0 : indexer.indexed();
    }

    /** Catch-ups that compared every message of a mailbox with the index (after an expunge, or a first). */
    long fullCatchUps() {
        return indexer == null ? 0 : indexer.fullCatchUps();
    }

    /** Users whose index reached {@code fts.maxIndexBytesPerUser}: their new messages are read by searches. */
    public int usersAtLimit() {
        return limit.usersAtLimit();
    }

    /** Bytes on disk of the indexes open now. */
    public long openIndexBytes() {
        long total = 0;
        for (var index : open.all()) {
            try {
                total += index.sizeBytes();
            } catch (IOException e) {
                // being rebuilt
            }
        }
        return total;
    }

    /** Waits until the indexer has nothing left to do, and lets searches see all it did (tools and tests). */
    public void awaitIdle() throws InterruptedException {
        if (indexer != null) {
            indexer.awaitIdle();
            for (var index : open.all()) {
                try {
                    index.refreshForSearch(0);
                } catch (AlreadyClosedException | IOException e) {
                    // closed meanwhile (committed), or a full disk: searches read what they do not see
                }
            }
        }
    }

    /**
     * The index of {@code user}, opened on first use and then checked in the background; one that cannot
     * be opened is set aside and started anew.
     */
    UserIndex index(String user) throws IOException {
        return open.get(user, u -> {
            var index = openOrRecreate(directoryOf(u));
            indexer.verify(u, index);
            return index;
        });
    }

    private UserIndex openOrRecreate(Path path) throws IOException {
        try {
            return UserIndex.open(path, options.ramBufferMb());
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "full-text index {0} cannot be opened ({1}); rebuilding it from the mail",
                    path, e.toString());
            deleteTree(path);
            return UserIndex.open(path, options.ramBufferMb());
        }
    }

    /** An index that failed while read: rebuilt from the mail, while searches scan. */
    void damaged(String user, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "full-text index of {0} failed ({1}); rebuilding it from the mail",
                user, e.toString());
        try {
            rebuild(user);
        } catch (IOException | RuntimeException again) {
            LOG.log(System.Logger.Level.ERROR, "full-text index of {0} cannot be rebuilt: {1}", user, again.toString());
        }
    }

    /**
     * Closes {@code user}'s index and deletes its files, while nobody can open it again: an indexer
     * catch-up in progress finishes its current message and then finds the index closed.
     */
    private void discard(String user) throws IOException {
        open.discard(user, () -> deleteTree(directoryOf(user)));
    }

    /** A folder name for any user name: letters, digits and {@code -_.@} kept, anything else as %XX of UTF-8. */
    Path directoryOf(String user) {
        var name = new StringBuilder();
        for (byte b : user.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '@' || c == '.')) {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        if (name.toString().replace(".", "").isEmpty()) {
            name.insert(0, "%"); // never "." or ".."
        }
        return options.directory().resolve(name.toString());
    }

    /** The identity of a mailbox in its user's index: a mailbox that got a new UIDVALIDITY is another one. */
    static String mailboxKey(String name, long uidValidity) {
        return mailboxPrefix(name) + uidValidity;
    }

    /** What the keys of every UIDVALIDITY of mailbox {@code name} begin with. */
    static String mailboxPrefix(String name) {
        return name + '\u0000';
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (var p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (indexer != null) {
            indexer.close();
            attachments.close();
        }
        open.closeAll();
    }
}
