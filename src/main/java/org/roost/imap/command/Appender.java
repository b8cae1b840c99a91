package org.roost.imap.command;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.imap.protocol.AppendMessage;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.urlauth.UrlAuthority;
import org.roost.index.MailboxState;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.UidSet;

/**
 * What APPEND and REPLACE share: the refusals of RFC 3501 §6.3.11 (TRYCREATE, an empty message), RFC 4469 §4
 * (BADURL) and RFC 7889 §4 (TOOBIG, also for what CATENATE joins), then one all-or-none append (RFC 3502) and
 * its APPENDUID (RFC 4315).
 */
public final class Appender {
    private final AppendLimit appendLimit;
    private final UrlAuthority urls;
    private final int maxBinaryPartHeader;

    /**
     * {@code urls} reads CATENATE's URLs: the user's own, and URLAUTH-authorized ones of any user (RFC 4469 §3);
     * {@code maxBinaryPartHeader} is {@code limits.maxBinaryPartHeader}.
     */
    public Appender(AppendLimit appendLimit, UrlAuthority urls, int maxBinaryPartHeader) {
        this.appendLimit = appendLimit;
        this.urls = urls;
        this.maxBinaryPartHeader = maxBinaryPartHeader;
    }

    /** Stored, with the {@code APPENDUID} response code naming every new UID; or refused with a tagged NO. */
    sealed interface Outcome permits Appended, Refused {}

    record Appended(String appendUid) implements Outcome {}

    record Refused(Reply reply) implements Outcome {}

    /**
     * Appends {@code messages} to {@code mailbox}, judged by the quota net of {@code replaced} (which the caller
     * expunges next).
     */
    Outcome append(String mailbox, List<AppendMessage> messages, List<StoredMessage> replaced, CommandContext context)
            throws IOException {
        if (!context.mailboxes().exists(mailbox)) {
            return new Refused(Reply.no("TRYCREATE", "Mailbox does not exist."));
        }
        var rights = Access.of(context, mailbox);
        if (!rights.has(Right.INSERT)) { // RFC 4314 §4; a mailbox the user may not see does not exist (§6)
            return new Refused(rights.has(Right.LOOKUP) ? Access.NOPERM : Access.HIDDEN_TARGET);
        }
        var found = new ArrayList<MessageParts>(messages.size());
        try {
            for (var message : messages) {
                found.add(MessageParts.of(message, url -> urls.read(url, context.facts().user().orElseThrow(),
                        context.mailboxes(), Instant.now()), maxBinaryPartHeader));
            }
        } catch (MessageParts.BadUrl e) {
            return new Refused(Reply.no("BADURL " + e.getMessage(), "The URL names no message part you can read."));
        }
        // RFC 3502 §6.3.11: a zero-length literal cancels the whole command
        if (found.stream().anyMatch(m -> m.size() == 0)) {
            return new Refused(Reply.no("Cannot append an empty message."));
        }
        long limit = appendLimit.of(context.mailboxes());
        if (found.stream().anyMatch(m -> m.size() > limit)) {
            return new Refused(Reply.no("TOOBIG", "The message is larger than APPENDLIMIT " + limit + "."));
        }
        MailboxState state;
        try {
            state = context.mailboxes().open(mailbox);
        } catch (MailboxNotFoundException e) {
            return new Refused(Reply.no("TRYCREATE", "Mailbox does not exist."));
        }
        var stored = state.appendReplacing(newMessages(messages, found, rights), replaced,
                context.mailboxes().privateFlags(mailbox));
        context.metrics().messages(context.facts().protocol(), "append", stored.size());
        return new Appended("APPENDUID " + state.current().uidValidity() + " " + uids(stored));
    }

    /** The messages to store, with only the flags {@code rights} let the user set (RFC 4314 §4). */
    private static List<MailboxState.NewMessage> newMessages(List<AppendMessage> messages, List<MessageParts> found,
            Rights rights) {
        var now = Instant.now();
        var added = new ArrayList<MailboxState.NewMessage>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            var m = messages.get(i);
            added.add(new MailboxState.NewMessage(found.get(i).source(), Access.allowed(rights, m.flags().system()),
                    Access.allowedKeywords(rights, m.flags().keywords()),
                    m.date().map(ZonedDateTime::toInstant).orElse(now)));
        }
        return added;
    }

    /** RFC 3502: as many UIDs as messages, in their order (ascending, so a set says it). */
    private static UidSet uids(List<StoredMessage> stored) {
        return UidSet.of(stored.stream().mapToLong(StoredMessage::uid).toArray());
    }
}
