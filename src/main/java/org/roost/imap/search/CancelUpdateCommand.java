package org.roost.imap.search;

import java.util.Map;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.SessionState;
import org.roost.imap.protocol.CancelUpdate;
import org.roost.imap.protocol.response.Reply;

/** CANCELUPDATE (RFC 5267 §4.3.5): the searches and sorts named by their tags are no longer kept up to date. */
public final class CancelUpdateCommand extends CommandExecutor<CancelUpdate> {

    public CancelUpdateCommand() {
        super(SessionState.SELECTED_ONLY, Map.of("CANCELUPDATE", CancelUpdate.SYNTAX));
    }

    @Override
    public Reply execute(CancelUpdate command, CommandContext context) {
        if (context.selected().resultUpdates() instanceof SearchContexts contexts) {
            contexts.cancel(command.tags());
        }
        return Reply.ok("No further updates.");
    }
}
