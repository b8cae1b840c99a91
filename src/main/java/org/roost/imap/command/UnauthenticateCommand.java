package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/**
 * UNAUTHENTICATE (RFC 8437 §3): back to the not-authenticated state with nothing of the user left (the
 * selected mailbox closed without expunging, NOTIFY, search contexts, enabled extensions, COMPRESS after the
 * OK), TLS kept. Never NO: the client may have pipelined its next login.
 */
public final class UnauthenticateCommand extends CommandExecutor<NoArguments> {
    /** Advertised after login only (RFC 8437 §3 allows it), after the other extensions. */
    public static final Capability CAPABILITY = Capability.afterLogin("UNAUTHENTICATE");

    public UnauthenticateCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("UNAUTHENTICATE"));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.session().unauthenticate();
        return Reply.ok("Not authenticated any more.");
    }
}
