package org.roost.imap.command;

import java.io.IOException;
import org.roost.imap.protocol.Notify;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.Reply;

/**
 * What the session loop, IDLE and NOTIFY need of a session's notifications (RFC 5465): between commands
 * (and during IDLE, §4) they may go to the client; while a command runs they wait.
 */
public interface Notifications {

    /** NOTIFY SET or NOTIFY NONE: what to tell the client from now on. */
    Reply set(Notify command, CommandContext context) throws IOException;

    /** A command starts: nothing unsolicited until {@link #resume()}; waits for a notification being written. */
    void pause();

    /** The session waits for the client (between commands, or in IDLE): notifications may go. */
    void resume();

    /** Whether a NOTIFY SET is in effect: IDLE then sends exactly what it asked for (§4), instead of its own. */
    boolean active();

    /**
     * After new messages of the selected mailbox were reported ({@code news}): their FETCH responses with
     * the attributes NOTIFY's MessageNew asked for (§5.2), if any.
     */
    void newMessages(SelectedMailbox selected, SelectedMailbox.NewMessages news, ImapWriter writer) throws IOException;
}
