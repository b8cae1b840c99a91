package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.Append;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.Reply;

/**
 * APPEND (RFC 3501 §6.3.11) of one message or, with MULTIAPPEND (RFC 3502), of several: all or none, durable
 * before the OK, with APPENDUID (RFC 4315) naming every new UID; a message may come as a literal8 (RFC 3516 §4.4).
 */
public final class AppendCommand extends CommandExecutor<Append> {
    private final Appender appender;

    public AppendCommand(Appender appender) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("APPEND", Append.SYNTAX));
        this.appender = appender;
    }

    @Override
    public Reply execute(Append command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid)) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        return switch (appender.append(valid.name(), command.messages(), List.of(), context)) {
            case Appender.Appended(var appendUid) -> Reply.ok(appendUid, "APPEND completed.");
            case Appender.Refused(var reply) -> reply;
        };
    }
}
