package org.roost.imap.urlauth;

import java.io.IOException;
import java.util.Optional;
import org.roost.acl.Right;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.MailboxName;
import org.roost.index.MailboxState;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.BinarySection;
import org.roost.mail.mime.BodyStructure;
import org.roost.mail.mime.DecodedSize;
import org.roost.mail.mime.SectionRange;
import org.roost.mail.mime.SectionSpec;
import org.roost.mail.mime.TransferDecoding;

/**
 * The message part an IMAP URL names (RFC 5092 {@code imessagepart}), found in its mailbox: its octets as a FETCH of
 * its section and range returns them ({@link #bytes}), decoded ({@link #binary}, RFC 5524's BINARY) and its structure
 * ({@link #structure}, RFC 5524's BODYPARTSTRUCTURE); read without setting {@code \Seen}.
 */
public record UrlPart(MailboxState state, StoredMessage message, ImapUrl.MessagePart part) {

    /** A decoded part: its octets in the URL's range, and whether the whole part holds a NUL (a literal8). */
    public record Decoded(PartBytes bytes, DecodedSize size) {}

    /** The part {@code part} names in {@code mailboxes}; empty when no such mailbox, UIDVALIDITY or message is there. */
    public static Optional<UrlPart> find(ImapUrl.MessagePart part, Mailboxes mailboxes) throws IOException {
        if (!(part.mailbox() instanceof MailboxName.Valid name) || !mailboxes.exists(name.name())
                || !mailboxes.myRights(name.name()).has(Right.READ)) { // RFC 4314 §4: reading needs r
            return Optional.empty();
        }
        MailboxState state;
        try {
            state = mailboxes.open(name.name());
        } catch (MailboxNotFoundException deletedMeanwhile) {
            return Optional.empty();
        }
        var snapshot = state.current();
        var message = snapshot.byUid(part.uid());
        if (message == null || part.uidValidity().isPresent()
                && part.uidValidity().getAsLong() != snapshot.uidValidity()) {
            return Optional.empty();
        }
        return Optional.of(new UrlPart(state, message, part));
    }

    /** The octets as stored: what FETCH {@code BODY.PEEK[section]<offset.length>} returns (RFC 5092 §5). */
    public PartBytes bytes() throws IOException {
        var range = state.structure(message).range(part.section().spec());
        long start = start(range.length());
        long count = count(range.length(), start);
        return switch (range) {
            case SectionRange.Bytes b -> new PartBytes(count, () -> PartBytes.window(b.data(), start, count));
            case SectionRange.Slice s -> new PartBytes(count,
                    () -> PartBytes.window(state.open(message), s.offset() + start, count));
        };
    }

    /**
     * BINARY (RFC 5524 §3.1): the part with its transfer encoding undone as FETCH BINARY does it (RFC 3516), the
     * URL's range taken of the decoded octets as BINARY[part]&lt;partial&gt; takes it; empty when the section is not
     * a part (HEADER, TEXT, MIME, header fields have no encoding to undo) or its encoding is unknown.
     */
    public Optional<Decoded> binary(int bufferSize) throws IOException {
        var section = binarySection();
        if (section.isEmpty()) {
            return Optional.empty();
        }
        var size = decodedSize(section.get(), bufferSize);
        long start = start(size.length());
        long count = count(size.length(), start);
        return Optional.of(new Decoded(new PartBytes(count,
                () -> PartBytes.window(state.decoded(message, section.get(), bufferSize), start, count)), size));
    }

    /**
     * BODYPARTSTRUCTURE (RFC 5524 §3.1): the BODYSTRUCTURE of the section's part; of its decoded form when asked
     * with BINARY (RFC 5259 §5, the example of RFC 5524 §4): encoding {@code BINARY}, the decoded size and lines.
     * Empty when the part does not exist.
     */
    public Optional<BodyStructure> structure(boolean decoded, int bufferSize) throws IOException {
        var path = part.section().spec().path();
        var structure = state.structure(message).partStructure(path);
        var section = decoded ? binarySection() : Optional.<BinarySection>empty();
        if (structure.isEmpty() || section.isEmpty() || section.get().decoding() == TransferDecoding.IDENTITY
                || !(structure.get() instanceof BodyStructure.Single single)) {
            return structure;
        }
        var size = decodedSize(section.get(), bufferSize);
        long lines = single.isText() ? decodedLines(section.get(), bufferSize) : single.lines();
        return Optional.of(new BodyStructure.Single(single.type(), single.subtype(), single.params(), single.id(),
                single.description(), "BINARY", size.length(), lines, single.md5(), single.disposition(),
                single.language(), single.location(), single.envelope(), single.body()));
    }

    /** Whether the section names a part (or the whole message), which BINARY can decode; HEADER, TEXT, MIME cannot. */
    public boolean isPart() {
        return part.section().spec().kind() == SectionSpec.Kind.ALL;
    }

    private Optional<BinarySection> binarySection() throws IOException {
        return isPart() ? state.structure(message).binary(part.section().spec().path()) : Optional.empty();
    }

    /** Measured by decoding once, then kept by the mailbox for every session, as FETCH BINARY keeps it. */
    private DecodedSize decodedSize(BinarySection section, int bufferSize) throws IOException {
        return state.decodedSize(message, part.section().spec().path(), () -> {
            try (var in = state.decoded(message, section, bufferSize)) {
                return DecodedSize.measure(in, () -> { });
            }
        });
    }

    private long decodedLines(BinarySection section, int bufferSize) throws IOException {
        long lines = 0;
        try (var in = state.decoded(message, section, bufferSize)) {
            var buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    lines += buffer[i] == '\n' ? 1 : 0;
                }
            }
        }
        return lines;
    }

    private long start(long length) {
        return Math.min(part.offset(), length);
    }

    private long count(long length, long start) {
        return part.length() < 0 ? length - start : Math.min(part.length(), length - start);
    }
}
