package org.roost.imap.command;

import java.io.IOException;
import java.util.Set;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.imap.protocol.Command;
import org.roost.imap.protocol.response.Reply;

/**
 * Rights taken away while a mailbox is selected count from the session's next command: without {@code r} on it
 * any longer, the commands that read or change its messages (those of the selected state, and IDLE) are refused as
 * RFC 4314 §4 would refuse SELECT now, and the session is told of no more of its changes; CLOSE and UNSELECT still
 * leave it.
 */
public final class Revocation {
    private static final Set<String> ALLOWED = Set.of("CLOSE", "UNSELECT", "LOGOUT");

    private Revocation() {}

    /** The user's rights on the selected mailbox once they lack {@code r}; null while they have it or none is selected. */
    public static Rights lost(CommandContext context) throws IOException {
        if (context.selected() == null) {
            return null;
        }
        var rights = Access.ofSelected(context);
        return rights.has(Right.READ) ? null : rights;
    }

    /** The answer to {@code command}, run in {@code states}, after the user {@code lost} r; null when it may run. */
    public static Reply refusal(Command command, Set<SessionState> states, Rights lost) {
        if (lost == null || ALLOWED.contains(command.name())) {
            return null;
        }
        return states.equals(SessionState.SELECTED_ONLY) || command.name().equals("IDLE") ? Access.denied(lost) : null;
    }
}
