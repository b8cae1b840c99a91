package org.roost.imap.fetch;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.roost.imap.Command;
import org.roost.imap.Flags;
import org.roost.imap.ImapDates;
import org.roost.imap.ImapSession;
import org.roost.imap.ImapWriter;
import org.roost.imap.MessageSets;
import org.roost.imap.Reply;
import org.roost.imap.ResponseBuffer;
import org.roost.index.Fact;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SectionRange;
import org.roost.mail.mime.SectionSpec;
import org.roost.net.Cancellation;
import org.roost.storage.MessageNotFoundException;
import org.roost.storage.StoredMessage;

/**
 * FETCH and UID FETCH (RFC 3501 §6.4.5, §7.4.2). Message data is streamed from storage as
 * literals; the MIME structure comes from the shared cache.
 */
public final class FetchCommand {
    private static final int COPY_BUFFER = 64 * 1024;
    private final MailboxView view;
    /** The response, gathered and handed to the connection in large writes. */
    private final ResponseBuffer buffer;
    private final ImapWriter writer;
    /** Whether items the index alone answers may take {@link IndexItemsFetch} (tests compare both paths). */
    private final boolean indexPath;
    /** A message's file vanished while its literal was being sent (the literal was padded to stay in step). */
    private boolean contentLost;
    /** A message was left out: expunged meanwhile. */
    private boolean expunged;
    /** The open content of the message being answered, if it has sections. */
    private OpenContent pinned;
    private final Cancellation cancellation;

    public FetchCommand(MailboxView view, ImapWriter writer, Cancellation cancellation) {
        this(view, writer, cancellation, true);
    }

    FetchCommand(MailboxView view, ImapWriter writer, Cancellation cancellation, boolean indexPath) {
        this.view = view;
        this.buffer = new ResponseBuffer(writer.stream());
        this.writer = new ImapWriter(buffer);
        this.cancellation = cancellation;
        this.indexPath = indexPath;
    }

    public Reply execute(Command.Fetch c) throws IOException {
        try {
            return respond(c);
        } finally {
            buffer.drain();
        }
    }

    private Reply respond(Command.Fetch c) throws IOException {
        int[] seqs;
        try {
            seqs = MessageSets.resolve(c.set(), c.uid(), view);
        } catch (MessageSets.InvalidSet e) {
            return Reply.bad(e.getMessage());
        }
        var items = withUid(c.items(), c.uid());
        if (indexPath && IndexItemsFetch.answers(items)) {
            expunged = !new IndexItemsFetch(view, buffer, cancellation).write(seqs, items);
            return reply(c);
        }
        boolean setsSeen = !view.readOnly() && items.stream()
                .anyMatch(i -> i instanceof FetchItem.Section s && s.setsSeen());
        var newlySeen = setsSeen ? markSeen(seqs) : Set.<Long>of();
        var withFlags = withFlags(items);
        // decided once for the command: adding FLAGS changes neither
        boolean structureNeeded = needsStructure(items);
        boolean contentNeeded = needsContent(items);
        var needed = needed(items, structureNeeded, contentNeeded);
        view.inChunks(seqs, needed, cancellation, (from, to) -> {
            for (int k = from; k < to; k++) {
                cancellation.check();
                int seq = seqs[k];
                try {
                    var answered = !newlySeen.isEmpty() && newlySeen.contains(view.uid(seq)) ? withFlags : items;
                    fetchOne(seq, answered, structureNeeded, contentNeeded, needed);
                } catch (MessageNotFoundException e) {
                    expunged = true;
                }
            }
        });
        return reply(c);
    }

    private Reply reply(Command.Fetch c) {
        return expunged || contentLost ? Reply.no("EXPUNGEISSUED", ImapSession.NO_LONGER_EXIST)
                : Reply.ok(c.name() + " completed.");
    }

    /** UID FETCH always reports UID (RFC 3501 §6.4.8). */
    private static List<FetchItem> withUid(List<FetchItem> items, boolean uid) {
        if (!uid || items.stream().anyMatch(i -> i instanceof FetchItem.Uid)) {
            return items;
        }
        var out = new ArrayList<FetchItem>(items.size() + 1);
        out.add(new FetchItem.Uid());
        out.addAll(items);
        return out;
    }

    /** RFC 3501 §6.4.5: when the fetch sets \Seen, the changed FLAGS are part of the response. */
    private static List<FetchItem> withFlags(List<FetchItem> items) {
        if (items.stream().anyMatch(i -> i instanceof FetchItem.Flags)) {
            return items;
        }
        var out = new ArrayList<>(items);
        out.add(new FetchItem.Flags());
        return out;
    }

    /** Sets \Seen before answering, so that the FLAGS in the response already show it; returns the UIDs changed. */
    private Set<Long> markSeen(int[] seqs) throws IOException {
        var changes = new ArrayList<MailboxState.FlagChange>();
        var shared = view.state().current();
        for (int seq : seqs) {
            var m = view.message(seq);
            var now = shared.byUid(m.uid()); // this view may be behind another session's STORE
            if (!m.flags().contains(SystemFlag.SEEN) || (now != null && !now.flags().contains(SystemFlag.SEEN))) {
                // added to the flags the message has now: another session's change since this view
                // last synced must survive (RFC 3501 §6.4.5 sets only \Seen)
                changes.add(new MailboxState.FlagChange(m, EnumSet.of(SystemFlag.SEEN), Set.of(),
                        MailboxState.FlagMode.ADD));
            }
        }
        var changed = new java.util.HashSet<Long>();
        if (!changes.isEmpty()) {
            var updated = view.state().setFlags(changes);
            view.adopt(updated);
            updated.forEach(m -> changed.add(m.uid()));
        }
        return changed;
    }

    /**
     * What answering {@code items} needs to know of each message beyond the index: its file's status
     * before the file is read (it is still there, a regular file) or its date shown, and its virtual
     * size for RFC822.SIZE and for the length of a whole message that no structure gives.
     */
    private static Set<Fact> needed(List<FetchItem> items, boolean structureNeeded, boolean contentNeeded) {
        var needed = EnumSet.noneOf(Fact.class);
        if (structureNeeded || contentNeeded || items.stream().anyMatch(i -> i instanceof FetchItem.InternalDate)) {
            needed.add(Fact.FILE_STATUS);
        }
        if (items.stream().anyMatch(i -> i instanceof FetchItem.Rfc822Size
                || i instanceof FetchItem.Section && !structureNeeded)) {
            needed.add(Fact.VIRTUAL_SIZE);
        }
        return needed;
    }

    private void fetchOne(int seq, List<FetchItem> items, boolean structureNeeded, boolean contentNeeded,
                          Set<Fact> needed) throws IOException {
        if (!view.knows(seq, needed)) {
            throw new MessageNotFoundException("message " + view.uid(seq) + " is gone: its file cannot be looked at");
        }
        var m = view.message(seq);
        var state = view.state();
        MessageStructure structure = structureNeeded ? state.structure(m) : null;
        // Open the file before the first byte of the response: a message another session expunged
        // is then left out (tagged NO [EXPUNGEISSUED]) instead of going out as a padded literal that
        // a client would cache as the message's content. Once open, it stays readable.
        try (var content = contentNeeded ? openContent(m) : null) {
            pinned = content;
            var line = writer.stream();
            buffer.ascii("* ").number(seq).ascii(" FETCH (");
            boolean first = true;
            for (var item : items) {
                if (!first) {
                    line.write(' ');
                }
                first = false;
                writeItem(line, m, structure, item);
            }
            writer.ascii(")").endLine();
        } finally {
            pinned = null;
        }
    }

    private OpenContent openContent(StoredMessage m) throws IOException {
        try {
            return new OpenContent(view.state().open(m));
        } catch (MessageNotFoundException gone) {
            throw gone;
        } catch (java.nio.file.NoSuchFileException gone) {
            throw new MessageNotFoundException("message " + m.uid() + " expunged meanwhile");
        }
    }

    /** The message's normalized bytes, read forward; sections asked in ascending order share it. */
    private static final class OpenContent implements AutoCloseable {
        private final InputStream in;
        private long position;

        OpenContent(InputStream in) {
            this.in = in;
        }

        /** The stream at {@code offset}, or null when it is already past it. */
        InputStream at(long offset) throws IOException {
            if (offset < position) {
                return null;
            }
            in.skipNBytes(offset - position);
            position = offset;
            return in;
        }

        void advanced(long n) {
            position += n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Whether a section needs the message's bytes: HEADER.FIELDS(.NOT) are answered from the kept
     * headers of the parsed structure, which the structure cache holds, so a message list fetched
     * by header fields opens no message file.
     */
    private static boolean needsContent(List<FetchItem> items) {
        return items.stream().anyMatch(i -> i instanceof FetchItem.Section s
                && s.text() != FetchItem.SectionText.HEADER_FIELDS && s.text() != FetchItem.SectionText.HEADER_FIELDS_NOT);
    }

    private static boolean needsStructure(List<FetchItem> items) {
        return items.stream().anyMatch(i -> i instanceof FetchItem.Envelope || i instanceof FetchItem.Structure
                || i instanceof FetchItem.Section s && !(s.text() == FetchItem.SectionText.NONE && s.part().length == 0));
    }

    private void writeItem(OutputStream out, StoredMessage m, MessageStructure structure, FetchItem item) throws IOException {
        switch (item) {
            case FetchItem.Uid u -> writer.ascii("UID " + m.uid());
            case FetchItem.Flags f -> writer.ascii("FLAGS " + Flags.format(m, view.isRecent(m)));
            case FetchItem.InternalDate d -> writer.ascii("INTERNALDATE \"" + ImapDates.formatDateTime(m.internalDate()) + "\"");
            case FetchItem.Rfc822Size s -> writer.ascii("RFC822.SIZE " + m.virtualSize());
            case FetchItem.Envelope e -> {
                writer.ascii("ENVELOPE ");
                org.roost.imap.fetch.StructureFormatter.writeEnvelope(out, structure.envelope());
            }
            case FetchItem.Structure s -> {
                writer.ascii(s.extensible() ? "BODYSTRUCTURE " : "BODY ");
                if (s.extensible()) {
                    StructureFormatter.writeBodyStructure(out, structure.bodyStructure());
                } else {
                    StructureFormatter.writeBody(out, structure.body());
                }
            }
            case FetchItem.Section s -> writeSection(out, m, structure, s);
        }
    }

    private void writeSection(OutputStream out, StoredMessage m, MessageStructure structure, FetchItem.Section s)
            throws IOException {
        writer.ascii(s.responseName() + " ");
        SectionRange range = structure == null
                ? new SectionRange.Slice(0, m.virtualSize())
                : structure.range(spec(s));
        long length = range.length();
        long start = 0;
        long count = length;
        if (s.origin() != FetchItem.Section.NO_PARTIAL) {
            start = Math.min(s.origin(), length);
            count = Math.min(s.count(), length - start);
        }
        if (count == 0) {
            writer.ascii("\"\"");
            return;
        }
        writer.ascii("{" + count + "}").endLine();
        switch (range) {
            case SectionRange.Bytes b -> writeWithoutNul(out, b.data(), (int) start, (int) count);
            case SectionRange.Slice slice -> copy(m, slice.offset() + start, count, out);
        }
    }

    /** RFC 3501 §4.3: a literal is CHAR8, without NUL; a NUL byte goes out as 0x80, as Dovecot sends it. */
    private static void writeWithoutNul(OutputStream out, byte[] data, int offset, int length) throws IOException {
        int from = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (data[i] == 0) {
                out.write(data, from, i - from);
                out.write(0x80);
                from = i + 1;
            }
        }
        out.write(data, from, end - from);
    }

    private static SectionSpec spec(FetchItem.Section s) {
        return switch (s.text()) {
            case NONE -> SectionSpec.of(SectionSpec.Kind.ALL, s.part());
            case HEADER -> SectionSpec.of(SectionSpec.Kind.HEADER, s.part());
            case TEXT -> SectionSpec.of(SectionSpec.Kind.TEXT, s.part());
            case MIME -> SectionSpec.of(SectionSpec.Kind.MIME, s.part());
            case HEADER_FIELDS -> SectionSpec.fields(false, s.fields(), s.part());
            case HEADER_FIELDS_NOT -> SectionSpec.fields(true, s.fields(), s.part());
        };
    }

    /**
     * Streams {@code count} bytes from {@code offset} of the normalized message. If the message
     * turns out shorter than promised, the literal is padded with spaces so the protocol stays in step.
     */
    private void copy(StoredMessage m, long offset, long count, OutputStream out) throws IOException {
        InputStream shared = null;
        if (pinned != null) {
            try {
                shared = pinned.at(offset);
            } catch (java.io.EOFException shorterThanPromised) {
                pad(count, out);
                return;
            }
        }
        if (shared != null) {
            long sent = copyFrom(shared, count, out);
            pinned.advanced(sent);
            pad(count - sent, out);
            return;
        }
        InputStream source;
        try {
            source = view.state().open(m);
        } catch (IOException gone) { // expunged after its literal was announced (a section out of order)
            contentLost = true;
            source = InputStream.nullInputStream();
        }
        try (InputStream in = source) {
            long sent = 0;
            try {
                in.skipNBytes(offset);
                sent = copyFrom(in, count, out);
            } catch (java.io.EOFException shorterThanPromised) {
                // padded below
            }
            pad(count - sent, out);
        }
    }

    /** Copies up to {@code count} bytes; returns how many there were. */
    private static long copyFrom(InputStream in, long count, OutputStream out) throws IOException {
        long left = count;
        var buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, count))];
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            writeWithoutNul(out, buffer, 0, n);
            left -= n;
        }
        return count - left;
    }

    /** Keeps the protocol in step when a message turned out shorter than its announced literal. */
    private void pad(long left, OutputStream out) throws IOException {
        if (left > 0) {
            contentLost = true;
        }
        for (; left > 0; left--) {
            out.write(' ');
        }
    }

}
