package org.roost.imap.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.imap.protocol.FetchItem;
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.StructureFormatter;
import org.roost.index.Fact;
import org.roost.imap.command.SelectedMailbox;
import org.roost.index.MailboxView;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.ObjectIds;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.BinarySection;
import org.roost.mail.mime.DecodedSize;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SectionRange;
import org.roost.net.Cancellation;

/**
 * The FETCH lines of items that need more than the index: the parsed structure (ENVELOPE,
 * BODYSTRUCTURE, header fields) from the shared cache, and message data streamed from storage as
 * literals. One per command.
 */
final class MessageFetch {
    private static final int COPY_BUFFER = 64 * 1024;
    private final MailboxView view;
    private final FetchResponse response;
    private final Cancellation cancellation;
    private final int maxPreviewChars;
    private final int binaryDecodeBuffer;
    /** A message's file vanished while its literal was being sent (the literal was padded to stay in step). */
    private boolean contentLost;
    /** A message was left out: expunged meanwhile. */
    private boolean expunged;
    /** The GUIDs of the messages whose GUID is not their key, read at the first EMAILID or THREADID. */
    private Map<String, String> guids;
    /** A BINARY item was left out: its part's transfer encoding is unknown (RFC 3516 §4.3). */
    private boolean unknownEncoding;
    /** The open content of the message being answered, if it has sections. */
    private OpenContent pinned;

    /** {@code binaryDecodeBuffer}: the buffers BINARY decodes through ({@link SelectedMailbox#binaryDecodeBuffer()}). */
    MessageFetch(MailboxView view, FetchResponse response, Cancellation cancellation, int maxPreviewChars,
            int binaryDecodeBuffer) {
        this.view = view;
        this.response = response;
        this.cancellation = cancellation;
        this.maxPreviewChars = maxPreviewChars;
        this.binaryDecodeBuffer = binaryDecodeBuffer;
    }

    /**
     * {@code * <seq> FETCH (...)} for each of {@code seqs}; messages whose \Seen this command set
     * ({@code newlySeen}, by UID) report their FLAGS too (RFC 3501 §6.4.5). False when a message
     * was gone and is left out or was cut short.
     */
    boolean write(int[] seqs, List<FetchItem> items, Set<Long> newlySeen) throws IOException {
        var withFlags = withFlags(items);
        // decided once for the command: adding FLAGS changes none of them
        var structureNeed = structureNeed(items);
        boolean contentNeeded = needsContent(items);
        var needed = needed(items, structureNeed != StructureNeed.NONE, contentNeeded);
        view.inChunks(seqs, needed, cancellation, (from, to) -> {
            for (int k = from; k < to; k++) {
                cancellation.check();
                int seq = seqs[k];
                try {
                    var answered = !newlySeen.isEmpty() && newlySeen.contains(view.uid(seq)) ? withFlags : items;
                    writeOne(seq, answered, structureNeed, contentNeeded, needed);
                } catch (MessageNotFoundException e) {
                    expunged = true;
                }
            }
        });
        return !expunged && !contentLost;
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

    /**
     * What answering {@code items} needs to know of each message beyond the index: its file's status
     * before the file is read (it is still there, a regular file) or its date shown, and its virtual
     * size for RFC822.SIZE and for the length of a whole message that no structure gives.
     */
    private static Set<Fact> needed(List<FetchItem> items, boolean structureNeeded, boolean contentNeeded) {
        var needed = EnumSet.noneOf(Fact.class);
        if (structureNeeded || contentNeeded || items.stream().anyMatch(i -> i instanceof FetchItem.InternalDate
                || i instanceof FetchItem.SaveDate || i instanceof FetchItem.Preview p && !p.lazy())) { // a save date the storage cannot tell is the internal date
            needed.add(Fact.FILE_STATUS);
        }
        if (items.stream().anyMatch(i -> i instanceof FetchItem.Rfc822Size
                || i instanceof FetchItem.Section && !structureNeeded)) {
            needed.add(Fact.VIRTUAL_SIZE);
        }
        return needed;
    }

    private void writeOne(int seq, List<FetchItem> items, StructureNeed structureNeed, boolean contentNeeded,
            Set<Fact> needed) throws IOException {
        if (!view.knows(seq, needed)) {
            throw new MessageNotFoundException("message " + view.uid(seq) + " is gone: its file cannot be looked at");
        }
        var m = view.message(seq);
        MessageStructure structure = switch (structureNeed) {
            case NONE -> null;
            case ENVELOPE -> view.state().envelopeStructure(m);
            case WHOLE -> view.state().structure(m);
        };
        var preview = preview(m, items);
        // Open the file before the first byte of the response: a message another session expunged
        // is then left out (tagged NO [EXPUNGEISSUED]) instead of going out as a padded literal that
        // a client would cache as the message's content. Once open, it stays readable.
        var answered = structure == null ? items : withKnownEncodings(items, structure);
        if (answered.isEmpty()) {
            return;
        }
        try (var content = contentNeeded ? openContent(m) : null) {
            pinned = content;
            response.begin(seq, m.uid());
            for (var item : answered) {
                writeItem(seq, m, structure, item, preview);
            }
            response.end();
        } finally {
            pinned = null;
        }
    }

    /** Whether a BINARY or BINARY.SIZE item was left out for an unknown transfer encoding (tagged NO [UNKNOWN-CTE]). */
    boolean unknownEncoding() {
        return unknownEncoding;
    }

    private OpenContent openContent(StoredMessage m) throws IOException {
        try {
            return new OpenContent(view.state().open(m));
        } catch (NoSuchFileException gone) {
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
                && s.text() != FetchItem.SectionText.HEADER_FIELDS && s.text() != FetchItem.SectionText.HEADER_FIELDS_NOT
                || i instanceof FetchItem.Binary || i instanceof FetchItem.BinarySize);
    }

    /** How much of the parsed structure the items need: ENVELOPE alone is answered from the header alone. */
    private enum StructureNeed { NONE, ENVELOPE, WHOLE }

    private static StructureNeed structureNeed(List<FetchItem> items) {
        if (items.stream().noneMatch(MessageFetch::needsStructure)) {
            return StructureNeed.NONE;
        }
        // a whole-message section takes its length from a structure when there is one: a whole one
        boolean envelopeAlone = items.stream().allMatch(i -> i instanceof FetchItem.Envelope
                || !needsStructure(i) && !(i instanceof FetchItem.Section));
        return envelopeAlone ? StructureNeed.ENVELOPE : StructureNeed.WHOLE;
    }

    private static boolean needsStructure(FetchItem i) {
        return i instanceof FetchItem.Envelope || i instanceof FetchItem.Structure
                || i instanceof FetchItem.ThreadId
                || i instanceof FetchItem.Binary || i instanceof FetchItem.BinarySize
                || i instanceof FetchItem.Section s && !(s.text() == FetchItem.SectionText.NONE && s.part().length == 0);
    }

    private void writeItem(int seq, StoredMessage m, MessageStructure structure, FetchItem item, String preview)
            throws IOException {
        switch (item) {
            case FetchItem.Uid u -> response.uid(m.uid());
            case FetchItem.Modseq q -> response.modseq(view.modseq(seq));
            case FetchItem.Flags f -> response.flags(m, view.isRecent(m));
            case FetchItem.InternalDate d -> response.internalDate(m.internalDate().getEpochSecond());
            case FetchItem.Rfc822Size s -> response.rfc822Size(m.virtualSize());
            case FetchItem.Envelope e -> StructureFormatter.writeEnvelope(response.item("ENVELOPE"), structure.envelope());
            case FetchItem.Structure s -> {
                if (s.extensible()) {
                    StructureFormatter.writeBodyStructure(response.item("BODYSTRUCTURE"), structure.bodyStructure());
                } else {
                    StructureFormatter.writeBody(response.item("BODY"), structure.body());
                }
            }
            case FetchItem.Section s -> writeSection(m, structure, s);
            case FetchItem.EmailId e -> response.objectId("EMAILID", emailId(m));
            case FetchItem.ThreadId t -> response.objectId("THREADID", ObjectIds.threadId(structure, emailId(m)));
            case FetchItem.SaveDate d -> response.saveDate(view.state().saveDate(m));
            case FetchItem.Preview p -> writePreview(p.form(), preview);
            case FetchItem.Binary b -> writeBinary(m, structure, b);
            case FetchItem.BinarySize b -> writeBinarySize(m, structure, b);
        }
    }

    /**
     * The message's preview if PREVIEW is asked, made before the response begins (it may read the message, which
     * may be gone); null for none or for LAZY without one made before. One that is not LAZY makes it for all.
     */
    private String preview(StoredMessage m, List<FetchItem> items) throws IOException {
        var asked = items.stream().filter(i -> i instanceof FetchItem.Preview).map(i -> (FetchItem.Preview) i).toList();
        if (asked.isEmpty()) {
            return null;
        }
        try {
            var made = view.state().preview(m, maxPreviewChars, asked.stream().allMatch(FetchItem.Preview::lazy));
            return made == null || made.codePointCount(0, made.length()) <= maxPreviewChars ? made
                    : made.substring(0, made.offsetByCodePoints(0, maxPreviewChars)); // made under a larger limit
        } catch (NoSuchFileException gone) {
            throw new MessageNotFoundException("message " + m.uid() + " expunged meanwhile");
        }
    }

    /**
     * RFC 8970 §6: {@code "PREVIEW" SP nstring}, a quoted string when it can be one, else a literal; the drafts'
     * forms name the algorithm first: {@code "PREVIEW" SP "(" "FUZZY" SP nstring ")"}, and so does SNIPPET.
     */
    private void writePreview(FetchItem.PreviewForm form, String preview) throws IOException {
        var out = response.item(form == FetchItem.PreviewForm.SNIPPET ? "SNIPPET" : "PREVIEW");
        boolean fuzzy = form != FetchItem.PreviewForm.PREVIEW;
        if (fuzzy) {
            out.ascii("(FUZZY ");
        }
        if (preview == null) {
            out.ascii("NIL");
        } else if (preview.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')) {
            out.ascii("\"").ascii(preview).ascii("\"");
        } else {
            var bytes = preview.getBytes(StandardCharsets.UTF_8);
            response.literal(bytes.length);
            out.write(bytes);
        }
        if (fuzzy) {
            out.ascii(")");
        }
    }

    /** RFC 8474 §5.1: from the message's GUID, which the storage keeps through COPY and MOVE. */
    private String emailId(StoredMessage m) throws IOException {
        if (guids == null) {
            guids = view.state().messageGuids(); // once per command: a lookup of the storage's bookkeeping
        }
        return ObjectIds.emailId(guids.getOrDefault(m.key(), m.key()));
    }

    /**
     * BINARY[part]: the decoded content, streamed twice from the message file: once to learn its size
     * and whether it holds NUL, which a literal must announce, then to send it; in a {@code literal8}
     * when it holds NUL, else in a plain literal (RFC 3516 §4.3).
     */
    private void writeBinary(StoredMessage m, MessageStructure structure, FetchItem.Binary b) throws IOException {
        var section = binarySection(structure, b.part());
        var size = decodedSize(m, section, b.part());
        long start = 0;
        long count = size.length();
        if (b.origin() != FetchItem.Section.NO_PARTIAL) {
            start = Math.min(b.origin(), count);
            count = Math.min(b.count(), count - start);
        }
        var out = response.item(b.responseName());
        if (size.hasNul()) {
            response.literal8(count);
        } else {
            response.literal(count);
        }
        if (count == 0) {
            return;
        }
        try (var in = decodedFrom(m, section, start)) {
            pad(count - copyFrom(in, count, out, size.hasNul()), out);
        }
    }

    /** BINARY.SIZE[part]: the length BINARY[part] has (RFC 3516 §4.3). */
    private void writeBinarySize(StoredMessage m, MessageStructure structure, FetchItem.BinarySize b)
            throws IOException {
        var section = binarySection(structure, b.part());
        response.item(b.responseName()).number(decodedSize(m, section, b.part()).length());
    }

    /**
     * The items without the BINARY ones whose part has an unknown transfer encoding, which fail the
     * command with UNKNOWN-CTE (RFC 3516 §4.3) while the other items are answered.
     */
    private List<FetchItem> withKnownEncodings(List<FetchItem> items, MessageStructure structure) {
        var known = items.stream().filter(i -> switch (i) {
            case FetchItem.Binary b -> structure.binary(b.part()).isPresent();
            case FetchItem.BinarySize b -> structure.binary(b.part()).isPresent();
            default -> true;
        }).toList();
        if (known.size() < items.size()) {
            unknownEncoding = true;
        }
        return known;
    }

    /** The part's {@link BinarySection}, its encoding known (see {@link #withKnownEncodings}). */
    private static BinarySection binarySection(MessageStructure structure, int[] part) {
        return structure.binary(part).orElseThrow();
    }

    /**
     * The decoded length of a section and whether it holds NUL: measured by decoding it once, then kept
     * by the mailbox for every session. A message file that cannot be read (expunged meanwhile) measures
     * nothing, kept for nobody, and the command ends NO [EXPUNGEISSUED].
     */
    private DecodedSize decodedSize(StoredMessage m, BinarySection section, int[] part) throws IOException {
        try {
            return view.state().decodedSize(m, part, () -> measure(m, section));
        } catch (IOException unreadable) { // storage only: nothing is written to the client while measuring
            contentLost = true;
            return new DecodedSize(0, false);
        }
    }

    private DecodedSize measure(StoredMessage m, BinarySection section) throws IOException {
        try (var in = view.state().decoded(m, section, binaryDecodeBuffer)) {
            return DecodedSize.measure(in, cancellation::check);
        }
    }

    /** The decoded section from {@code start} on; empty (the literal is then padded) when the file went meanwhile. */
    private InputStream decodedFrom(StoredMessage m, BinarySection section, long start) throws IOException {
        InputStream in;
        try {
            in = view.state().decoded(m, section, binaryDecodeBuffer);
        } catch (IOException gone) {
            return InputStream.nullInputStream();
        }
        try {
            in.skipNBytes(start);
            return in;
        } catch (EOFException cutShort) {
            in.close();
            return InputStream.nullInputStream();
        }
    }

    private void writeSection(StoredMessage m, MessageStructure structure, FetchItem.Section s) throws IOException {
        var out = response.item(s.responseName());
        SectionRange range = structure == null
                ? new SectionRange.Slice(0, m.virtualSize())
                : structure.range(s.spec());
        long length = range.length();
        long start = 0;
        long count = length;
        if (s.origin() != FetchItem.Section.NO_PARTIAL) {
            start = Math.min(s.origin(), length);
            count = Math.min(s.count(), length - start);
        }
        response.literal(count);
        if (count == 0) {
            return;
        }
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

    /**
     * Streams {@code count} bytes from {@code offset} of the normalized message. If the message
     * turns out shorter than promised, the literal is padded with spaces so the protocol stays in step.
     */
    private void copy(StoredMessage m, long offset, long count, OutputStream out) throws IOException {
        InputStream shared = null;
        if (pinned != null) {
            try {
                shared = pinned.at(offset);
            } catch (EOFException shorterThanPromised) {
                pad(count, out);
                return;
            }
        }
        if (shared != null) {
            long sent = copyFrom(shared, count, out, false);
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
                sent = copyFrom(in, count, out, false);
            } catch (EOFException shorterThanPromised) {
                // padded below
            }
            pad(count - sent, out);
        }
    }

    /** Copies up to {@code count} bytes, NUL as it is only in a {@code binary} literal8; returns how many there were. */
    private static long copyFrom(InputStream in, long count, OutputStream out, boolean binary) throws IOException {
        long left = count;
        var buffer = new byte[(int) Math.min(COPY_BUFFER, Math.max(1, count))];
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            if (binary) {
                out.write(buffer, 0, n);
            } else {
                writeWithoutNul(out, buffer, 0, n);
            }
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
