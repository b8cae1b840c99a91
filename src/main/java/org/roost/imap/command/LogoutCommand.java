package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.ImapWriter.Status;
import org.roost.imap.protocol.response.Reply;

/** LOGOUT (RFC 3501 §6.1.3): BYE, the tagged OK, and the end of the session. */
public final class LogoutCommand extends CommandExecutor<NoArguments> {

    public LogoutCommand() {
        super(SessionState.ANY, NoArguments.named("LOGOUT"));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.writer().untaggedStatus(Status.BYE, null, "Logging out.");
        context.session().logout();
        return Reply.ok("LOGOUT completed.");
    }
}
