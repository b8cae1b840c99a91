package org.roost.imap.command;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.Append;
import org.roost.imap.protocol.AppendMessage;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxState;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.UidSet;

/**
 * APPEND (RFC 3501 §6.3.11) of one message or, with MULTIAPPEND (RFC 3502), of several: all or none, durable
 * before the OK, with APPENDUID (RFC 4315) naming every new UID.
 */
public final class AppendCommand extends CommandExecutor<Append> {

    public AppendCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("APPEND", Append.SYNTAX));
    }

    @Override
    public Reply execute(Append command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        // RFC 3502 §6.3.11: a zero-length literal cancels the whole command
        if (command.messages().stream().anyMatch(m -> m.message().size() == 0)) {
            return Reply.no("Cannot append an empty message.");
        }
        MailboxState state;
        try {
            state = context.mailboxes().open(valid.name());
        } catch (MailboxNotFoundException e) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        var stored = state.appendAll(newMessages(command.messages()));
        context.metrics().messages(context.facts().protocol(), "append", stored.size());
        return Reply.ok("APPENDUID " + state.current().uidValidity() + " " + uids(stored), "APPEND completed.");
    }

    private static List<MailboxState.NewMessage> newMessages(List<AppendMessage> messages) {
        var now = Instant.now();
        var added = new ArrayList<MailboxState.NewMessage>(messages.size());
        for (var m : messages) {
            added.add(new MailboxState.NewMessage(m.message()::open, m.flags().system(), m.flags().keywords(),
                    m.date().map(ZonedDateTime::toInstant).orElse(now)));
        }
        return added;
    }

    /** RFC 3502: as many UIDs as messages, in their order (ascending, so a set says it). */
    private static UidSet uids(List<StoredMessage> stored) {
        return UidSet.of(stored.stream().mapToLong(StoredMessage::uid).toArray());
    }
}
