package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import org.roost.imap.protocol.NoArguments;
import org.roost.imap.protocol.response.Reply;

/** CAPABILITY (RFC 3501 §6.1.1): what the registered executors advertise in the session's state. */
public final class CapabilityCommand extends CommandExecutor<NoArguments> {

    /** Adds the base protocol, and the reader's non-synchronizing literals (RFC 7888). */
    public CapabilityCommand() {
        super(SessionState.ANY, NoArguments.named("CAPABILITY"),
                List.of(Capability.always("IMAP4rev1"), Capability.always("LITERAL+")));
    }

    @Override
    public Reply execute(NoArguments command, CommandContext context) throws IOException {
        context.writer().untagged(context.session().capabilityData());
        return Reply.ok("CAPABILITY completed.");
    }
}
