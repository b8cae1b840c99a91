package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;

/**
 * NAMESPACE (RFC 2342 §5): the personal namespace, the other users' one ({@code Shared.}) and the shared (public)
 * one ({@code Public.}) when the server has them.
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
        var published = context.mailboxes().publicPrefix();
        context.writer().untagged("NAMESPACE ((\"\" " + delimiter + ")) " + namespace(shared, context) + " "
                + namespace(published, context));
        return Reply.ok("NAMESPACE completed.");
    }

    private static String namespace(String prefix, CommandContext context) {
        var delimiter = String.valueOf(context.mailboxes().delimiter());
        return prefix == null ? "NIL"
                : "((" + ImapStrings.quoted(prefix + delimiter) + " " + ImapStrings.quoted(delimiter) + "))";
    }
}
