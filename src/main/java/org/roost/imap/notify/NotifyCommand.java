package org.roost.imap.notify;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.SessionState;
import org.roost.imap.protocol.Notify;
import org.roost.imap.protocol.response.Reply;

/**
 * NOTIFY (RFC 5465 §3.1): replaces what the session tells its client between commands. The session's
 * {@link Notifier} does the work; a successful NOTIFY SET is also an implicit NOOP, which the session's
 * reporting after every command provides.
 */
public final class NotifyCommand extends CommandExecutor<Notify> {

    public NotifyCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("NOTIFY", Notify.SYNTAX),
                List.of(Capability.afterLogin("NOTIFY")));
    }

    @Override
    public Reply execute(Notify command, CommandContext context) throws IOException {
        return context.session().notifications().set(command, context);
    }
}
