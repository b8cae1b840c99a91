package org.roost.imap.command;

import org.roost.imap.protocol.response.ImapWriter;
import org.roost.index.Mailboxes;
import org.roost.metrics.RoostMetrics;
import org.roost.net.Cancellation;

/**
 * What an executor gets from its session for one command.
 *
 * @param writer       the command's responses
 * @param facts        who and where: state, user, TLS
 * @param mailboxes    the user's mailboxes (null before login: executors of that state do not use them)
 * @param selected     the selected mailbox (null unless one is; never null for an executor of the
 *                     selected state only)
 * @param metrics      the server's meters (labelled with {@code facts.protocol()})
 * @param cancellation what long loops check, so that a kicked or abandoned command stops
 * @param session      what an executor may change of its session (state, streams, input)
 */
public record CommandContext(ImapWriter writer, SessionFacts facts, Mailboxes mailboxes, SelectedMailbox selected,
        RoostMetrics metrics, Cancellation cancellation, SessionControl session) {}
