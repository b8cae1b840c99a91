package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.imap.protocol.Create;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.Reply;
import org.roost.mail.MailboxNames;

/** CREATE (RFC 3501 §6.3.3). */
public final class CreateCommand extends CommandExecutor<Create> {

    public CreateCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("CREATE", Create.SYNTAX));
    }

    @Override
    public Reply execute(Create command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid)) {
            return Reply.no("CANNOT", "Invalid mailbox name");
        }
        var mailboxes = context.mailboxes();
        var name = valid.name();
        // RFC 3501 §6.3.3: a trailing delimiter only says the client intends inferior names
        while (name.length() > 1 && name.charAt(name.length() - 1) == mailboxes.delimiter()) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals(MailboxNames.INBOX) || mailboxes.exists(name)) {
            return Reply.no("ALREADYEXISTS", "Mailbox already exists.");
        }
        mailboxes.create(name);
        var mailboxId = mailboxes.mailboxId(name); // RFC 8474 §4.1
        return mailboxId == null ? Reply.ok("CREATE completed.")
                : Reply.ok("MAILBOXID (" + mailboxId + ")", "CREATE completed.");
    }
}
