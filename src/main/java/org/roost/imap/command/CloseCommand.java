package org.roost.imap.command;

import java.io.IOException;
import org.roost.acl.Right;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** CLOSE (RFC 3501 §6.4.2): expunges silently (when read-write, with the {@code e} right), then leaves the mailbox. */
public final class CloseCommand extends CommandExecutor<NoArguments> {

    public CloseCommand() {
        super(SessionState.SELECTED_ONLY, NoArguments.named("CLOSE"));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        var view = context.selected().view();
        if (!view.readOnly() && Access.ofSelected(context).has(Right.EXPUNGE)) { // RFC 4314 §4
            Expunges.expunge(context, Expunges.deleted(view, Expunges.allSequences(view)));
        }
        context.session().deselect();
        return Reply.ok("CLOSE completed.");
    }
}
