package org.roost.imap.command;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.Append;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.MessageLiteral;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.MailboxState;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.mime.BinaryToBase64;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.Part;

/** APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315) and literal8 (RFC 3516 §4.4); the message is durable before the OK. */
public final class AppendCommand extends CommandExecutor<Append> {

    public AppendCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("APPEND", Append.SYNTAX));
    }

    @Override
    public Reply execute(Append command, CommandContext context) throws IOException {
        if (!(command.mailbox() instanceof MailboxName.Valid valid) || !context.mailboxes().exists(valid.name())) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        if (command.message().size() == 0) {
            return Reply.no("Cannot append an empty message.");
        }
        var date = command.date().map(ZonedDateTime::toInstant).orElseGet(Instant::now);
        MailboxState state;
        try {
            state = context.mailboxes().open(valid.name());
        } catch (MailboxNotFoundException e) {
            return Reply.no("TRYCREATE", "Mailbox does not exist.");
        }
        try (var in = content(command.message())) {
            var stored = state.append(in, command.flags().system(), command.flags().keywords(), date);
            context.metrics().messages(context.facts().protocol(), "append", 1);
            return Reply.ok("APPENDUID " + state.current().uidValidity() + " " + stored.uid(), "APPEND completed.");
        }
    }

    /**
     * What is stored of the message: as it came, except that the binary parts of a {@code literal8} are
     * stored base64 (RFC 3516 §4.4 allows it, §6 asks BODY[] and BODYSTRUCTURE to show an encoding IMAP4rev1
     * can carry; BINARY[part] still gives the bytes appended).
     */
    private static InputStream content(MessageLiteral message) throws IOException {
        if (!message.binary()) {
            return message.open();
        }
        List<Part> parts;
        try (var in = message.open()) {
            parts = BinaryToBase64.binaryParts(MessageStructure.parse(in));
        }
        return parts.isEmpty() ? message.open() : BinaryToBase64.encoded(message.open(), parts);
    }
}
