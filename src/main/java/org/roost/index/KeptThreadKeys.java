package org.roost.index;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * The {@link ThreadKeys} of every message of one mailbox, shared by its sessions like the
 * {@link SortRankings}: the first THREAD reads every message's header (from the structure cache, or
 * read alone from the message file when it was never parsed) on the {@link FileLookups} threads; later THREADs
 * pick their messages' rows out of the kept columns, until a message newer than the keys appears.
 * Expunged messages only leave unused rows. The keys are kept across restarts in a {@link KeptFile}
 * ({@value #NAME}: UIDs, the reference bound they were made with and the packed columns), written
 * after every build and read by the first THREAD after a start, which then reads no message.
 */
final class KeptThreadKeys {
    /** The keys of the messages {@code uids} (ascending, unsigned). */
    private record Kept(int[] uids, ThreadKeys keys, int maxReferences) {
        long lastUid() {
            return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
        }
    }

    static final String NAME = "roost.index.thread";
    /** "RTK1". */
    private static final int MAGIC = 0x52544b31;
    private static final System.Logger LOG = System.getLogger(KeptThreadKeys.class.getName());
    private final FileLookups lookups;
    private final KeptFile file;
    private final Path runs;
    private volatile Kept kept;

    /** {@code directory}: where the keys are kept across restarts, or null for nowhere. */
    KeptThreadKeys(FileLookups lookups, Path directory) {
        this.lookups = lookups;
        this.file = directory == null ? null : new KeptFile(directory, NAME, MAGIC);
        this.runs = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * The keys of the messages {@code found} (sequence numbers of {@code view}, ascending), row i
     * the message {@code found[i]}; each message's references are at most its last {@code maxReferences}.
     */
    ThreadKeys select(MailboxView view, int[] found, int maxReferences, Cancellation cancellation)
            throws IOException {
        var current = kept;
        long lastUid = view.count() == 0 ? 0 : view.uid(view.count());
        if (current == null && file != null) {
            current = file.read(view.uidValidity(), KeptThreadKeys::read);
        }
        if (current == null || current.maxReferences() != maxReferences || current.lastUid() < lastUid) {
            current = build(view, maxReferences, cancellation);
            write(view.uidValidity(), current);
        }
        kept = current;
        var uids = current.uids();
        var rows = new int[found.length];
        int row = 0;
        for (int i = 0; i < found.length; i++) { // one walk along both ascending lists
            long uid = view.uid(found[i]);
            while (row < uids.length && Integer.toUnsignedLong(uids[row]) < uid) {
                row++;
            }
            rows[i] = row < uids.length && Integer.toUnsignedLong(uids[row]) == uid ? row : ThreadKeys.NONE;
        }
        return current.keys().select(rows, i -> view.internalDateSeconds(found[i]));
    }

    /** Forgets the keys (the mailbox was rebuilt: UIDs may name other messages). */
    void clear() {
        kept = null;
        if (file != null) {
            try {
                file.delete();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove the kept thread keys: " + e);
            }
        }
    }

    private static Kept read(DataInputStream in, long size) throws IOException {
        int maxReferences = in.readInt();
        var uids = KeptFile.readUids(in, size);
        return new Kept(uids, ThreadKeys.read(in, uids.length, size), maxReferences);
    }

    private void write(long uidValidity, Kept contents) {
        if (file == null) {
            return;
        }
        try {
            file.write(uidValidity, out -> {
                out.writeInt(contents.maxReferences());
                KeptFile.writeUids(out, contents.uids());
                contents.keys().write(out);
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the thread keys for the next start: " + e);
        }
    }

    long heapBytes() {
        var current = kept;
        return current == null ? 0 : 4L * current.uids().length + current.keys().heapBytes();
    }

    private Kept build(MailboxView view, int maxReferences, Cancellation cancellation) throws IOException {
        int n = view.count();
        var uids = new int[n];
        for (int seq = 1; seq <= n; seq++) {
            uids[seq - 1] = (int) view.uid(seq);
        }
        try (var keys = new ThreadKeys.Builder(n, runs)) {
            lookups.forEach(n, i -> keys.set(i, facts(view, i + 1, maxReferences)), cancellation);
            return new Kept(uids, keys.build(), maxReferences);
        }
    }

    private static ThreadFacts facts(MailboxView view, int seq, int maxReferences) throws IOException {
        try {
            return ThreadFacts.of(view.state().header(view.message(seq)), view.internalDateSeconds(seq),
                    maxReferences);
        } catch (MessageNotFoundException gone) { // expunged meanwhile: a message without headers (its EXPUNGE follows)
            return ThreadFacts.headerless(view.internalDateSeconds(seq));
        }
    }
}
