package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.Delete;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.Reply;
import org.roost.mail.MailboxNames;

/** DELETE (RFC 3501 §6.3.4); deleting the selected mailbox leaves it. */
public final class DeleteCommand extends CommandExecutor<Delete> {

    public DeleteCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("DELETE", Delete.SYNTAX));
    }

    @Override
    public Reply execute(Delete command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid)) {
            return Reply.no("NONEXISTENT", "Mailbox does not exist.");
        }
        var refused = Access.refusal(Access.of(context, valid.name()), Right.DELETE); // RFC 4314 §4
        if (refused != null) {
            return refused;
        }
        if (valid.name().equals(MailboxNames.INBOX)) {
            return Reply.no("CANNOT", "INBOX cannot be deleted.");
        }
        var selected = context.selected();
        if (selected != null && selected.name().equals(valid.name())) {
            context.session().deselect();
        }
        context.mailboxes().delete(valid.name());
        return Reply.ok("DELETE completed.");
    }
}
