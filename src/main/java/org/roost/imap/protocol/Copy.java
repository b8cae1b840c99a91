package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * COPY (RFC 3501 §6.4.7), or MOVE (RFC 6851) when {@code move}, each also as a UID command:
 * {@code "COPY" SP sequence-set SP mailbox}.
 */
public record Copy(String tag, boolean uid, SequenceSet set, MailboxName mailbox, boolean move) implements Command {
    public static final Syntax<Copy> COPY = (tag, in) -> parse(tag, in, false, false);
    public static final Syntax<Copy> UID_COPY = (tag, in) -> parse(tag, in, true, false);
    public static final Syntax<Copy> MOVE = (tag, in) -> parse(tag, in, false, true);
    public static final Syntax<Copy> UID_MOVE = (tag, in) -> parse(tag, in, true, true);

    @Override
    public String name() {
        return move ? (uid ? "UID MOVE" : "MOVE") : (uid ? "UID COPY" : "COPY");
    }

    private static Copy parse(String tag, Arguments in, boolean uid, boolean move)
            throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var set = in.sequenceSet();
        return new Copy(tag, uid, set, in.mailboxArgument(), move);
    }
}
