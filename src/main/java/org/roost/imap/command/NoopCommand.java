package org.roost.imap.command;

import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** NOOP (RFC 3501 §6.1.2): nothing, after which the session reports what changed. */
public final class NoopCommand extends CommandExecutor<NoArguments> {

    public NoopCommand() {
        super(SessionState.ANY, NoArguments.named("NOOP"));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) {
        return Reply.ok("NOOP completed.");
    }
}
