package org.roost.imap.command;

import java.io.IOException;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.Status;
import org.roost.imap.protocol.StatusItem;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StatusResponse;

/**
 * STATUS (RFC 3501 §6.3.10) with SIZE (RFC 8438, STATUS=SIZE), DELETED (RFC 9051 §6.3.11) and APPENDLIMIT
 * (RFC 7889), answered by
 * {@link StatusValues}.
 */
public final class StatusCommand extends CommandExecutor<Status> {
    private final StatusValues statusValues;

    public StatusCommand(StatusValues statusValues) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("STATUS", Status.SYNTAX));
        this.statusValues = statusValues;
    }

    @Override
    public Reply execute(Status command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Access.NONEXISTENT;
        }
        var refused = Access.refusal(Access.of(context, valid.name()), Right.READ); // RFC 4314 §4
        if (refused != null) {
            return refused;
        }
        if (command.items().contains(StatusItem.MAILBOXID) && !context.facts().keepsGuids()) {
            return Reply.bad("This mail keeps no mailbox ids (no OBJECTID).");
        }
        var values = statusValues.read(context, valid.name(), command.items());
        StatusResponse.write(context.writer(), context.facts().naming().encode(valid.name()), values);
        return Reply.ok("STATUS completed.");
    }
}
