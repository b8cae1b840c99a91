package org.roost.imap.command;

import org.roost.imap.protocol.response.Reply;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailUnavailableException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInUseException;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StorageException;

/** The answers to what the mail store refuses, with the response codes a client can act on (RFC 5530). */
public final class StorageFailures {
    /** A message another session expunged meanwhile (RFC 2180 §4.1.2), in the words of Dovecot, which clients and tools match. */
    private static final String NO_LONGER_EXIST = "Some of the requested messages no longer exist.";

    private StorageFailures() {}

    /** {@code NO [EXPUNGEISSUED]}: some messages the command named are gone. */
    public static Reply messagesGone() {
        return Reply.no("EXPUNGEISSUED", NO_LONGER_EXIST);
    }

    /** The answer to a refusal a client can be told of; null for other failures, which are the server's. */
    public static Reply answer(StorageException e) {
        return switch (e) {
            case MailboxNotFoundException x -> Reply.no("NONEXISTENT", "Mailbox does not exist.");
            case MailboxExistsException x -> Reply.no("ALREADYEXISTS", "Mailbox already exists.");
            // the reason names the client's bytes: not echoed
            case InvalidMailboxNameException x -> Reply.no("CANNOT", "Invalid mailbox name.");
            case InvalidKeywordException x -> Reply.no("CANNOT", "Invalid keyword: " + x.getMessage());
            case MessageNotFoundException x -> messagesGone();
            case MailboxInUseException x -> Reply.no("INUSE", "The mailbox is locked by another program; try again later.");
            case MailUnavailableException x -> Reply.no("UNAVAILABLE", "Your mail is not available now, try again later.");
            default -> null;
        };
    }
}
