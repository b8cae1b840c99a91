package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** NAMESPACE (RFC 2342): one personal namespace, no others. */
public final class NamespaceCommand extends CommandExecutor<NoArguments> {

    public NamespaceCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("NAMESPACE"),
                List.of(Capability.afterLogin("NAMESPACE")));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.writer().untagged("NAMESPACE ((\"\" \"" + context.mailboxes().delimiter() + "\")) NIL NIL");
        return Reply.ok("NAMESPACE completed.");
    }
}
