package org.roost.imap.urlauth;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.roost.acl.Right;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.MailboxName;
import org.roost.index.MailboxState;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.SectionRange;

/**
 * The octets an IMAP URL's message part names (RFC 5092 {@code imessagepart}): what a FETCH of its section and
 * partial range would return, read without setting {@code \Seen}: how many, and how to read them.
 */
public record PartBytes(long size, MailboxState.MessageSource source) {

    /** The bytes of {@code part} in {@code mailboxes}; empty when no such mailbox, UIDVALIDITY or message is there. */
    public static Optional<PartBytes> of(ImapUrl.MessagePart part, Mailboxes mailboxes) throws IOException {
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
        var range = state.structure(message).range(part.section().spec());
        long start = Math.min(part.offset(), range.length());
        long count = part.length() < 0 ? range.length() - start : Math.min(part.length(), range.length() - start);
        return Optional.of(switch (range) {
            case SectionRange.Bytes b -> new PartBytes(count,
                    () -> new ByteArrayInputStream(b.data(), (int) start, (int) count));
            case SectionRange.Slice s -> new PartBytes(count, () -> window(state, message, s.offset() + start, count));
        });
    }

    /** {@code count} bytes from {@code offset} of the message as clients see it. */
    private static InputStream window(MailboxState state, StoredMessage message, long offset, long count)
            throws IOException {
        var in = state.open(message);
        in.skipNBytes(offset);
        return new FilterInputStream(in) {
            private long left = count;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }
}
