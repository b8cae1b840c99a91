package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.imap.protocol.Id;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.Reply;

/**
 * ID (RFC 2971): the server names itself with the configured fields ({@code imap.id.fields}, Dovecot's
 * {@code imap_id_send}; a field without a value is left out, none at all is {@code ID NIL}); the client's
 * parameters are not used.
 */
public final class IdCommand extends CommandExecutor<Id> {
    private final String response;

    public IdCommand(Map<String, String> fields) {
        super(SessionState.ANY, Map.of("ID", Id.SYNTAX), List.of(Capability.always("ID")));
        this.response = "ID " + parameters(fields);
    }

    /** {@code id-params-list} (RFC 2971 §4), or NIL. */
    private static String parameters(Map<String, String> fields) {
        var pairs = fields.entrySet().stream().filter(e -> e.getValue() != null)
                .map(e -> ImapStrings.quoted(e.getKey()) + " " + ImapStrings.quoted(e.getValue())).toList();
        return pairs.isEmpty() ? "NIL" : "(" + String.join(" ", pairs) + ")";
    }

    @Override
    public Reply execute(Id command, CommandContext context) throws IOException {
        context.writer().untagged(response);
        return Reply.ok("ID completed.");
    }
}
