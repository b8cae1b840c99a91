package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Status;
import org.roost.imap.protocol.StatusItem;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StatusResponse;
import org.roost.index.MailboxStatus;
import org.roost.index.Reclaimable;
import org.roost.mail.MailboxNameCodec;

/**
 * STATUS (RFC 3501 §6.3.10): answered from the shared state, never from a session's view. DELETED and
 * DELETED-STORAGE (RFC 9208 §4.1.4, required with QUOTA=RES-MESSAGE and QUOTA=RES-STORAGE) read every record,
 * so only when asked; DELETED-STORAGE is exact: the bytes the quota counts, which an EXPUNGE gives back.
 */
public final class StatusCommand extends CommandExecutor<Status> {

    public StatusCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("STATUS", Status.SYNTAX));
    }

    @Override
    public Reply execute(Status command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        if (command.items().contains(StatusItem.HIGHESTMODSEQ)) {
            context.session().enable(Extension.CONDSTORE); // RFC 7162 §3.1: a CONDSTORE enabling command
        }
        // RFC 8438: SIZE is the sum of the RFC822.SIZEs, exact
        boolean exactSize = command.items().contains(StatusItem.SIZE);
        var status = context.mailboxes().status(valid.name(), exactSize, context.cancellation());
        var items = command.items();
        var reclaimable = items.contains(StatusItem.DELETED) || items.contains(StatusItem.DELETED_STORAGE)
                ? context.mailboxes().reclaimable(valid.name()) : null;
        var mailboxId = items.contains(StatusItem.MAILBOXID) ? context.mailboxes().mailboxId(valid.name()) : null;
        if (items.contains(StatusItem.MAILBOXID) && mailboxId == null) {
            return Reply.bad("This mail keeps no mailbox ids (no OBJECTID).");
        }
        var values = new ArrayList<StatusResponse.Item>();
        for (var item : items) {
            values.add(new StatusResponse.Item(item.wireName(), value(item, status, reclaimable, mailboxId)));
        }
        StatusResponse.write(context.writer(), MailboxNameCodec.encode(valid.name()), values);
        return Reply.ok("STATUS completed.");
    }

    private static String value(StatusItem item, MailboxStatus status, Reclaimable reclaimable, String mailboxId) {
        return item == StatusItem.MAILBOXID ? "(" + mailboxId + ")" : Long.toString(number(item, status, reclaimable));
    }

    private static long number(StatusItem item, MailboxStatus status, Reclaimable reclaimable) {
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
            case MAILBOXID -> throw new IllegalArgumentException("MAILBOXID is no number");
        };
    }
}
