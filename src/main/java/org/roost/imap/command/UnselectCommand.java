package org.roost.imap.command;

import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** UNSELECT (RFC 3691): leaves the mailbox without expunging. */
public final class UnselectCommand extends CommandExecutor<NoArguments> {

    public UnselectCommand() {
        super(SessionState.SELECTED_ONLY, NoArguments.named("UNSELECT"), List.of(Capability.afterLogin("UNSELECT")));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) {
        context.session().deselect();
        return Reply.ok("UNSELECT completed.");
    }
}
