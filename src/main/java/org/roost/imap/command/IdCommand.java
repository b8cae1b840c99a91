package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.Id;
import org.roost.imap.protocol.response.Reply;

/** ID (RFC 2971): the server names itself; the client's parameters are not used. */
public final class IdCommand extends CommandExecutor<Id> {

    public IdCommand() {
        super(SessionState.ANY, Map.of("ID", Id.SYNTAX), List.of(Capability.always("ID")));
    }

    @Override
    public Reply execute(Id command, CommandContext context) throws IOException {
        context.writer().untagged("ID (\"name\" \"Roost\")");
        return Reply.ok("ID completed.");
    }
}
