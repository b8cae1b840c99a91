package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;

/**
 * NAMESPACE (RFC 2342 §5): the personal namespace, and the other users' one ({@code Shared.}) when the server has
 * it; no public namespace.
 */
public final class NamespaceCommand extends CommandExecutor<NoArguments> {

    public NamespaceCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, NoArguments.named("NAMESPACE"),
                List.of(Capability.afterLogin("NAMESPACE")));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        var delimiter = ImapStrings.quoted(String.valueOf(context.mailboxes().delimiter()));
        var shared = context.mailboxes().sharedPrefix();
        var others = shared == null ? "NIL" : "((" + ImapStrings.quoted(shared + context.mailboxes().delimiter()) + " "
                + delimiter + "))";
        context.writer().untagged("NAMESPACE ((\"\" " + delimiter + ")) " + others + " NIL");
        return Reply.ok("NAMESPACE completed.");
    }
}
