package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/**
 * UNAUTHENTICATE (RFC 8437 §3): back to the not-authenticated state with nothing of the user left (the
 * selected mailbox closed without expunging, NOTIFY, search contexts, enabled extensions, COMPRESS after the
 * OK), TLS kept. Never NO: the client may have pipelined its next login.
 */
public final class UnauthenticateCommand extends CommandExecutor<NoArguments> {

    public UnauthenticateCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("UNAUTHENTICATE"),
                List.of(Capability.afterLogin("UNAUTHENTICATE")));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.session().unauthenticate();
        return Reply.ok("Not authenticated any more.");
    }
}
