package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.imap.protocol.StatusItem;
import org.roost.imap.protocol.response.StatusResponse;
import org.roost.index.MailboxStatus;
import org.roost.index.Reclaimable;

/**
 * The values of STATUS items for one mailbox, from the shared state and never from a session's view: what
 * STATUS (RFC 3501 §6.3.10) and LIST's STATUS return option (RFC 5819) answer. SIZE (RFC 8438) is exact: the
 * sum of the RFC822.SIZEs. DELETED (RFC 9051 §6.3.11) and DELETED-STORAGE (RFC 9208 §4.1.4) read every record,
 * so only when asked; DELETED-STORAGE is the bytes the quota counts, which an EXPUNGE gives back. APPENDLIMIT
 * (RFC 7889 §3.1) is the user's, the same in every mailbox. MAILBOXID (RFC 8474 §4.3) is the mailbox's GUID.
 */
public record StatusValues(AppendLimit appendLimit) {

    /**
     * The items of {@code name}, in the order asked.
     *
     * @throws org.roost.mail.MailboxNotFoundException if it is not a selectable mailbox (now)
     */
    public List<StatusResponse.Item> read(CommandContext context, String name, List<StatusItem> items)
            throws IOException {
        if (items.contains(StatusItem.HIGHESTMODSEQ)) {
            context.session().enable(Extension.CONDSTORE); // RFC 7162 §3.1: a CONDSTORE enabling command
        }
        var mailboxes = context.mailboxes();
        var status = mailboxes.status(name, items.contains(StatusItem.SIZE), context.cancellation());
        var reclaimable = items.contains(StatusItem.DELETED) || items.contains(StatusItem.DELETED_STORAGE)
                ? mailboxes.reclaimable(name) : null;
        long limit = items.contains(StatusItem.APPENDLIMIT) ? appendLimit.of(mailboxes) : 0;
        var mailboxId = items.contains(StatusItem.MAILBOXID) ? mailboxes.mailboxId(name) : null;
        var values = new ArrayList<StatusResponse.Item>(items.size());
        for (var item : items) {
            if (item != StatusItem.MAILBOXID || mailboxId != null) { // (mail without GUIDs: STATUS refused it)
                values.add(new StatusResponse.Item(item.wireName(), value(item, status, reclaimable, limit, mailboxId)));
            }
        }
        return values;
    }

    private static String value(StatusItem item, MailboxStatus status, Reclaimable reclaimable, long appendLimit,
            String mailboxId) {
        return switch (item) {
            case MESSAGES -> Long.toString(status.messages());
            case RECENT -> Long.toString(status.recent());
            case UIDNEXT -> Long.toString(status.uidNext());
            case UIDVALIDITY -> Long.toString(status.uidValidity());
            case UNSEEN -> Long.toString(status.unseen());
            case SIZE -> Long.toString(status.size());
            case HIGHESTMODSEQ -> Long.toString(status.highestModseq()); // RFC 7162 §3.1.7: 0 when not kept
            case DELETED -> Long.toString(reclaimable.messages());
            case DELETED_STORAGE -> Long.toString(reclaimable.bytes());
            case APPENDLIMIT -> Long.toString(appendLimit);
            case MAILBOXID -> "(" + mailboxId + ")"; // RFC 8474 §4.3
        };
    }
}
