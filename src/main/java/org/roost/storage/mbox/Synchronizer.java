package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Brings what the driver knows of an mbox in line with the file after another program (or nobody)
 * changed it, keeping every UID the file or the driver still vouches for:
 * <ul>
 * <li>a file that kept its inode and did not shrink, whose known messages still begin with the same
 *     separator lines at the same places, is checked message by message: a bookkeeping block that
 *     another program rewrote in place (Dovecot does, to change flags) is read again, and what was
 *     appended after the last known message (by an MTA, procmail, another server) is read;</li>
 * <li>anything else (mutt expunged, the file was truncated or replaced) is read whole.</li>
 * </ul>
 * A message keeps the UID its {@code X-UID} says when that is above the previous message's and below
 * the mailbox's next UID (so a forged header in a new delivery counts for nothing, Dovecot's rule),
 * and when a message the driver knew by that UID still has the same size (a message that changed is a
 * new message); else it keeps a UID given earlier and not written yet ({@link PendingUids}); else it
 * gets the next UID.
 */
final class Synchronizer {
    /** A known message's separator line and block are compared in one read when they lie this close. */
    private static final int ONE_READ = 64 * 1024;

    private Synchronizer() {
    }

    /** The contents of the file as it is now ({@code stamp}), {@code before} being what was known. */
    static MboxContents sync(MboxContents before, FileStamp stamp, FileChannel channel, PendingUids pending,
                             UidValiditySource validities, ZoneId zone) throws IOException {
        if (before != null && stamp.equals(before.stamp())) {
            return before;
        }
        if (before != null && stamp.sameFile(before.stamp()) && stamp.size() >= before.stamp().size()
                && before.stamp().size() > 0) {
            boolean grew = stamp.size() > before.stamp().size();
            // Grown: an MTA or procmail appended, which leaves the known messages alone (Dovecot's dirty
            // sync): their ends are checked. When the first message's block changed too, another IMAP
            // server (or Dovecot's LDA) bumped X-IMAPbase and may have changed flags: every block is checked.
            var checked = grew ? checked(before, channel, stamp, zone, false) : null;
            if (!grew || checked == OTHER_SERVER) {
                checked = checked(before, channel, stamp, zone, true);
            }
            var now = checked == null || !grew ? checked : appended(checked, stamp, channel, pending, zone);
            if (now != null) {
                return now;
            }
        }
        return whole(before, stamp, Scanner.scan(channel, 0, stamp.size(), zone), pending, validities);
    }

    /** Supplies a fresh UIDVALIDITY for a file that has none the driver knows of. */
    interface UidValiditySource {
        long next() throws IOException;
    }

    /** What {@link #checked} says when, checking only the ends, it found the first message's block changed. */
    private static final MboxContents OTHER_SERVER = new MboxContents(new FileStamp(-1, 0, ""),
            new FileStamp(-1, 0, ""), 0, 0, List.of(), null, List.of(), null);

    /**
     * {@code before} with the blocks other programs rewrote in place read again, or null when a known
     * message is no longer where it was (or changed more than its block). With {@code every} false, only
     * the first and the last messages are checked, and {@link #OTHER_SERVER} says the first one's block
     * changed.
     */
    private static MboxContents checked(MboxContents before, FileChannel channel, FileStamp stamp, ZoneId zone,
                                        boolean every) throws IOException {
        var pseudo = before.pseudo();
        var base = before.fileBase();
        if (pseudo != null) {
            var now = reread(channel, pseudo, stamp, zone, before.messages().isEmpty());
            if (now == null || (now != pseudo && (now.meta().base == null
                    || now.meta().base.uidValidity() != before.uidValidity()))) {
                return null;
            }
            if (!every && now != pseudo) {
                return OTHER_SERVER;
            }
            base = now != pseudo ? now.meta().base : base;
            pseudo = now;
        }
        var messages = new ArrayList<MboxMessage>(before.messages().size());
        int count = before.messages().size();
        for (int i = 0; i < count; i++) {
            var m = before.messages().get(i);
            if (!every && i > 0 && i < count - 1) {
                messages.add(m); // an append leaves them alone
                continue;
            }
            var now = reread(channel, m.found(), stamp, zone, i == before.messages().size() - 1);
            if (now == null) {
                return null;
            }
            if (now == m.found()) {
                messages.add(m);
                continue;
            }
            if (m.uidWritten() && now.meta().uid != m.uid()) {
                return null;
            }
            if (!every && i == 0) {
                return OTHER_SERVER;
            }
            if (i == 0 && pseudo == null && now.meta().base != null) {
                if (now.meta().base.uidValidity() != before.uidValidity()) {
                    return null;
                }
                base = now.meta().base;
            }
            var keywords = vocabulary(base, before.keywords());
            messages.add(new MboxMessage(m.uid(), now, now.meta().flags(), now.meta().keywords(keywords),
                    now.meta().old(), m.uidWritten()));
        }
        long nextUid = base == null ? before.nextUid() : Math.max(before.nextUid(), base.lastUid() + 1);
        return new MboxContents(stamp, stamp, before.uidValidity(), nextUid, vocabulary(base, before.keywords()), pseudo,
                messages, base);
    }

    /**
     * A known message as the file has it now: the same record when its separator line and block are
     * unchanged, the message read again when only its block changed, null when it is not there any
     * more. The last message may have grown a successor; its end is not compared.
     */
    private static Scanner.Found reread(FileChannel channel, Scanner.Found m, FileStamp stamp, ZoneId zone,
                                        boolean last) throws IOException {
        if (m.fromLength() > 0 && crc(channel, m.offset(), m.fromLength()) != m.fromCrc()) {
            return null;
        }
        if (m.metaStart() < 0 || crc(channel, m.metaStart(), m.metaEnd() - m.metaStart()) == m.metaCrc()) {
            return m;
        }
        var again = Scanner.scan(channel, m.offset(), stamp.size(), zone, 1);
        if (again.isEmpty() || again.getFirst().size() != m.size() || (!last && again.getFirst().end() != m.end())) {
            return null;
        }
        return again.getFirst();
    }

    private static int crc(FileChannel channel, long position, long length) throws IOException {
        if (length > ONE_READ) {
            return ~0;
        }
        var bytes = ByteBuffer.allocate((int) length);
        while (bytes.hasRemaining() && channel.read(bytes, position + bytes.position()) > 0) {
            // read on
        }
        var crc = new CRC32C();
        crc.update(bytes.array(), 0, bytes.position());
        return (int) crc.getValue();
    }

    /** {@code before} (checked) with what was appended after its last message; null when its last message changed. */
    private static MboxContents appended(MboxContents before, FileStamp stamp, FileChannel channel,
                                         PendingUids pending, ZoneId zone) throws IOException {
        var lastKnown = before.messages().isEmpty() ? null : before.messages().getLast();
        long from = lastKnown != null ? lastKnown.offset() : before.pseudo() != null ? before.pseudo().offset() : 0;
        var tail = Scanner.scan(channel, from, stamp.size(), zone);
        var base = before.fileBase();
        var assigner = new Assigner(before.uidValidity(), nextUid(before, base, pending), base,
                vocabulary(base, before.keywords()), Map.of(), pending);
        var messages = new ArrayList<>(before.messages());
        int k = 0;
        if (lastKnown != null) {
            if (tail.isEmpty() || tail.getFirst().size() != lastKnown.found().size()) {
                return null;
            }
            messages.set(messages.size() - 1, withFound(lastKnown, tail.get(k++)));
            assigner.previous = lastKnown.uid();
        } else if (before.pseudo() != null) {
            k++; // the pseudo-message itself
        }
        for (var found : tail.subList(k, tail.size())) {
            messages.add(assigner.assign(found));
        }
        return new MboxContents(stamp, stamp, before.uidValidity(), assigner.nextUid, assigner.keywords, before.pseudo(),
                messages, base);
    }

    private static MboxMessage withFound(MboxMessage message, Scanner.Found found) {
        return new MboxMessage(message.uid(), found, message.flags(), message.keywords(), message.old(),
                message.uidWritten());
    }

    /** Every message read afresh. */
    private static MboxContents whole(MboxContents before, FileStamp stamp, List<Scanner.Found> found,
                                      PendingUids pending, UidValiditySource validities) throws IOException {
        Scanner.Found pseudo = null;
        var messages = found;
        Metadata.Base base = null;
        if (!found.isEmpty()) {
            base = found.getFirst().meta().base;
            if (base != null && base.pseudo()) {
                pseudo = found.getFirst();
                messages = found.subList(1, found.size());
            }
        }
        long uidValidity;
        if (base != null) {
            uidValidity = base.uidValidity();
        } else if (before != null) {
            uidValidity = before.uidValidity();
        } else if (pending != null) {
            uidValidity = pending.uidValidity();
        } else {
            uidValidity = validities.next();
        }
        // What was known under another UIDVALIDITY says nothing of these UIDs.
        var known = before != null && before.uidValidity() == uidValidity ? before : null;
        var stillPending = pending != null && pending.uidValidity() == uidValidity ? pending : null;
        var fileBase = base != null && base.uidValidity() == uidValidity ? base : null;
        long nextUid = Math.max(known == null ? 1 : known.nextUid(), nextUid(null, fileBase, stillPending));
        var sizes = new HashMap<Long, Long>();
        if (known != null) {
            known.messages().forEach(m -> sizes.put(m.uid(), m.found().size()));
        }
        var assigner = new Assigner(uidValidity, nextUid, fileBase,
                vocabulary(fileBase, known == null ? List.of() : known.keywords()), sizes, stillPending);
        var assigned = new ArrayList<MboxMessage>(messages.size());
        for (var message : messages) {
            assigned.add(assigner.assign(message));
        }
        return new MboxContents(stamp, stamp, uidValidity, assigner.nextUid, assigner.keywords, pseudo, assigned, base);
    }

    private static long nextUid(MboxContents before, Metadata.Base base, PendingUids pending) {
        long next = before == null ? 1 : before.nextUid();
        if (base != null) {
            next = Math.max(next, base.lastUid() + 1);
        }
        if (pending != null) {
            next = Math.max(next, pending.nextUid());
        }
        return next;
    }

    /** The mailbox's keywords: those the file lists, then those the driver knew. */
    private static List<String> vocabulary(Metadata.Base base, List<String> known) {
        var all = new LinkedHashSet<String>();
        if (base != null) {
            all.addAll(base.keywords());
        }
        all.addAll(known);
        return List.copyOf(all);
    }

    /** Gives UIDs to messages in file order. */
    private static final class Assigner {
        private final Metadata.Base base;
        private final Map<Long, Long> knownSizes;
        private final Map<Long, PendingUids.Entry> pending;
        final List<String> keywords;
        long nextUid;
        long previous;

        Assigner(long uidValidity, long nextUid, Metadata.Base base, List<String> keywords, Map<Long, Long> knownSizes,
                 PendingUids pending) {
            this.base = base != null && base.uidValidity() == uidValidity ? base : null;
            this.nextUid = nextUid;
            this.keywords = keywords;
            this.knownSizes = knownSizes;
            this.pending = pending == null ? Map.of() : pending.byOffset();
        }

        MboxMessage assign(Scanner.Found found) {
            long uid = vouchedUid(found);
            if (uid < 0) {
                var entry = pending.get(found.offset());
                long given = entry == null ? -1 : entry.uidIf(found.fromCrc());
                uid = given > previous && given < nextUid ? given : nextUid++;
            }
            previous = uid;
            boolean written = base != null && found.meta().uid == uid && uid <= base.lastUid();
            return new MboxMessage(uid, found, found.meta().flags(), found.meta().keywords(keywords),
                    found.meta().old(), written);
        }

        /** The X-UID if it can be trusted, else -1. */
        private long vouchedUid(Scanner.Found found) {
            long uid = found.meta().uid;
            if (uid <= previous || uid >= nextUid) {
                return -1;
            }
            var size = knownSizes.get(uid);
            return size == null || size == found.size() ? uid : -1;
        }
    }
}
