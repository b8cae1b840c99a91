package org.roost.imap.command;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.Create;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.Reply;
import org.roost.mail.MailboxNames;
import org.roost.mail.SpecialUse;

/** CREATE (RFC 3501 §6.3.3), with the special uses of RFC 6154 §3 (CREATE-SPECIAL-USE). */
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
        if (mailboxes.namespaceNode(name)) {
            return Reply.no("CANNOT", "That name is the other users' namespace, no mailbox of its own.");
        }
        if (name.equals(MailboxNames.INBOX) || mailboxes.exists(name)) {
            return Reply.no("ALREADYEXISTS", "Mailbox already exists.");
        }
        var refused = Access.refusal(mailboxes.rightsToCreate(name), Right.CREATE); // RFC 4314 §4
        if (refused != null) {
            return refused;
        }
        var uses = EnumSet.noneOf(SpecialUse.class);
        for (var attribute : command.uses()) {
            var use = SpecialUse.named(attribute).filter(SpecialUse::supported);
            if (use.isEmpty()) {
                // RFC 6154 §3: the mailbox is not created
                return Reply.no("USEATTR", attribute + " not supported");
            }
            uses.add(use.get());
        }
        if (uses.isEmpty()) {
            mailboxes.create(name);
        } else {
            mailboxes.create(name, uses);
        }
        var mailboxId = mailboxes.mailboxId(name); // RFC 8474 §4.1
        return mailboxId == null ? Reply.ok("CREATE completed.")
                : Reply.ok("MAILBOXID (" + mailboxId + ")", "CREATE completed.");
    }
}
