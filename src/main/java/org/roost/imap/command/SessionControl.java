package org.roost.imap.command;

import java.io.IOException;
import java.util.concurrent.locks.Lock;
import org.roost.index.MailboxView;
import org.roost.net.ConnectionUpgrade;
import org.roost.net.ProtocolViolation;
import org.roost.session.Logins;

/** What an executor may change of its session, and the client input it may read beyond its command line. */
public interface SessionControl {

    /**
     * The client logged in as {@code user}: the authenticated state, the user's mailboxes, the limits after login.
     *
     * @throws org.roost.mail.MailUnavailableException if the user's mail cannot be reached now; the session stays
     *         logged out
     */
    void loggedIn(String user) throws IOException;

    /** {@code view} becomes the selected mailbox (closing another one): the selected state. */
    SelectedMailbox select(MailboxView view, String name);

    /** No mailbox is selected any more: the authenticated state. */
    void deselect();

    /** LOGOUT: the session ends once the command is answered. */
    void logout();

    /** The session ends after this command, saying {@code reason} with BYE. */
    void endAfterCommand(String reason);

    /** Applies {@code upgrade} to the connection once the command is answered OK (STARTTLS). */
    void afterOk(ConnectionUpgrade upgrade);

    /** {@code capability-data} as it stands now: "CAPABILITY IMAP4rev1 ...". */
    String capabilityData();

    /** The session's logins (plaintext policy, checks, failure count). */
    Logins logins();

    /** One more line of the command in progress (a SASL response), without its line end. */
    String readLine() throws IOException, ProtocolViolation;

    /** Waits for the client's next line (IDLE's DONE): a kick or shutdown ends the wait with BYE at once. */
    String awaitLine() throws IOException, ProtocolViolation;

    /** Held while writing responses when another thread may write too (IDLE's pushes, a kick's BYE). */
    Lock outputLock();

    /**
     * Enables {@code extension} (and what it implies) for the rest of the connection; returns whether it
     * was newly enabled. The first enabling of CONDSTORE with a mailbox selected reports its
     * HIGHESTMODSEQ (RFC 7162 §3.1).
     */
    boolean enable(Extension extension) throws IOException;

    /** The session's notifications (NOTIFY, RFC 5465); only after login. */
    Notifications notifications();

    /** Whether the connection is compressed (COMPRESS=DEFLATE, RFC 4978). */
    boolean compressed();

    /**
     * Back to the not-authenticated state (UNAUTHENTICATE, RFC 8437 §3): every per-user resource let go, the
     * enabled extensions forgotten, the limits before login; compression ends once the command is answered OK.
     */
    void unauthenticate() throws IOException;
}
