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
 * <li>a file that only grew, with its first and last known messages where they were (an MTA or
 *     procmail appended), is read from its last known message on;</li>
 * <li>anything else (mutt expunged or flagged, the file was truncated or replaced) is read whole.</li>
 * </ul>
 * A message keeps the UID its {@code X-UID} says when that is above the previous message's and below
 * the mailbox's next UID (so a forged header in a new delivery counts for nothing, Dovecot's rule),
 * and when a message the driver knew by that UID still has the same size (a message that changed is a
 * new message); else it keeps a UID given earlier and not written yet ({@link PendingUids}); else it
 * gets the next UID.
 */
final class Synchronizer {

    private Synchronizer() {
    }

    /** The contents of the file as it is now ({@code stamp}), {@code before} being what was known. */
    static MboxContents sync(MboxContents before, FileStamp stamp, FileChannel channel, PendingUids pending,
                             UidValiditySource validities, ZoneId zone) throws IOException {
        if (before != null && stamp.equals(before.stamp())) {
            return before;
        }
        if (before != null && grewOnly(before, stamp, channel, zone)) {
            var tail = Scanner.scan(channel, before.messages().getLast().offset(), stamp.size(), zone);
            var first = Scanner.scan(channel, before.firstOffset(), stamp.size(), zone, 1);
            if (!tail.isEmpty() && tail.getFirst().size() == before.messages().getLast().found().size()) {
                return appended(before, stamp, first.getFirst(), tail, pending);
            }
        }
        return whole(before, stamp, Scanner.scan(channel, 0, stamp.size(), zone), pending, validities);
    }

    /** Supplies a fresh UIDVALIDITY for a file that has none the driver knows of. */
    interface UidValiditySource {
        long next() throws IOException;
    }

    /**
     * Whether the file only grew since {@code before}: same inode, larger, and its first and last known
     * messages still begin with the same separator lines at the same places.
     */
    private static boolean grewOnly(MboxContents before, FileStamp stamp, FileChannel channel, ZoneId zone)
            throws IOException {
        if (!stamp.sameFile(before.stamp()) || stamp.size() <= before.stamp().size() || before.messages().isEmpty()) {
            return false;
        }
        var last = before.messages().getLast().found();
        var first = before.pseudo() != null ? before.pseudo() : before.messages().getFirst().found();
        return sameSeparator(channel, first) && sameSeparator(channel, last);
    }

    private static boolean sameSeparator(FileChannel channel, Scanner.Found found) throws IOException {
        var bytes = ByteBuffer.allocate(found.fromLength());
        while (bytes.hasRemaining() && channel.read(bytes, found.offset() + bytes.position()) > 0) {
            // read on
        }
        if (bytes.hasRemaining()) {
            return false;
        }
        var crc = new CRC32C();
        crc.update(bytes.array());
        return (int) crc.getValue() == found.fromCrc();
    }

    /** {@code before} with its first message read again (another server may have bumped X-IMAPbase) and the new tail. */
    private static MboxContents appended(MboxContents before, FileStamp stamp, Scanner.Found first,
                                         List<Scanner.Found> tail, PendingUids pending) {
        var base = first.meta().base != null && first.meta().base.uidValidity() == before.uidValidity()
                ? first.meta().base : before.fileBase();
        var assigner = new Assigner(before.uidValidity(), nextUid(before, base, pending), base,
                vocabulary(base, before.keywords()), Map.of(), pending);
        var messages = new ArrayList<>(before.messages().subList(0, before.messages().size() - 1));
        var lastKnown = before.messages().getLast();
        messages.add(withFound(lastKnown, tail.getFirst()));
        assigner.previous = lastKnown.uid();
        for (var found : tail.subList(1, tail.size())) {
            messages.add(assigner.assign(found));
        }
        if (before.pseudo() == null && !messages.isEmpty()) {
            messages.set(0, withFound(messages.getFirst(), first, assigner.keywords));
        }
        var pseudo = before.pseudo() != null ? first : null;
        return new MboxContents(stamp, before.uidValidity(), assigner.nextUid, assigner.keywords, pseudo, messages,
                base);
    }

    private static MboxMessage withFound(MboxMessage message, Scanner.Found found) {
        return new MboxMessage(message.uid(), found, message.flags(), message.keywords(), message.old(),
                message.uidWritten());
    }

    /** The first message as read again: its flags as the file says now. */
    private static MboxMessage withFound(MboxMessage message, Scanner.Found found, List<String> vocabulary) {
        return new MboxMessage(message.uid(), found, found.meta().flags(), found.meta().keywords(vocabulary),
                found.meta().old(), message.uidWritten());
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
        return new MboxContents(stamp, uidValidity, assigner.nextUid, assigner.keywords, pseudo, assigned, base);
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
