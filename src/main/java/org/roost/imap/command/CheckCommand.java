package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** CHECK (RFC 3501 §6.4.1): the mailbox is read afresh from the storage. */
public final class CheckCommand extends CommandExecutor<NoArguments> {

    public CheckCommand() {
        super(SessionState.SELECTED_ONLY, NoArguments.named("CHECK"));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.selected().view().state().refresh(true);
        return Reply.ok("CHECK completed.");
    }
}
