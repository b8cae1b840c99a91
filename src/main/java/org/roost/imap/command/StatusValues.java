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
 * (RFC 7889 §3.1) is the user's, the same in every mailbox.
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
        var values = new ArrayList<StatusResponse.Item>(items.size());
        for (var item : items) {
            values.add(new StatusResponse.Item(item.wireName(), value(item, status, reclaimable, limit)));
        }
        return values;
    }

    private static long value(StatusItem item, MailboxStatus status, Reclaimable reclaimable, long appendLimit) {
        return switch (item) {
            case MESSAGES -> status.messages();
            case RECENT -> status.recent();
            case UIDNEXT -> status.uidNext();
            case UIDVALIDITY -> status.uidValidity();
            case UNSEEN -> status.unseen();
            case SIZE -> status.size();
            case HIGHESTMODSEQ -> status.highestModseq(); // RFC 7162 §3.1.7: 0 when MODSEQs are not kept
            case DELETED -> reclaimable.messages();
            case DELETED_STORAGE -> reclaimable.bytes();
            case APPENDLIMIT -> appendLimit;
        };
    }
}
