package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Subscribe;
import org.roost.imap.protocol.response.Reply;

/** SUBSCRIBE and UNSUBSCRIBE (RFC 3501 §6.3.6, §6.3.7); the name need not exist. */
public final class SubscribeCommand extends CommandExecutor<Subscribe> {

    public SubscribeCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED,
                Map.of("SUBSCRIBE", Subscribe.SUBSCRIBE, "UNSUBSCRIBE", Subscribe.UNSUBSCRIBE));
    }

    @Override
    public Reply execute(Subscribe command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid)) {
            return Reply.no("CANNOT", "Invalid mailbox name");
        }
        if (command.subscribe()) {
            context.mailboxes().subscribe(valid.name());
        } else {
            context.mailboxes().unsubscribe(valid.name());
        }
        return Reply.ok(command.name() + " completed.");
    }
}
