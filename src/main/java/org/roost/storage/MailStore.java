package org.roost.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.SpecialUse;
import org.roost.mail.StorageException;

/**
 * One user's mailboxes. Names are Unicode strings whose hierarchy levels are separated by
 * {@link #delimiter()}; {@code INBOX} (any case on input) is the inbox. Nothing here knows
 * IMAP syntax: the protocol layer converts its wire names (modified UTF-7) before calling.
 * Every mutation is durable when the method returns.
 */
public interface MailStore {

    /** The hierarchy delimiter of this store. */
    char delimiter();

    /**
     * Writes now what the store keeps beside the mail and writes later (a cache a restart would otherwise
     * rebuild the slow way); called when the server stops. The mail itself is durable already.
     */
    default void flush() throws IOException {}

    /**
     * Every mailbox including {@code INBOX}, plus the non-selectable parents that exist only
     * because a child does, in no particular order.
     */
    List<MailboxInfo> list() throws IOException;

    /** True when {@code name} is a selectable mailbox. */
    boolean exists(String name) throws IOException;

    /**
     * Creates a mailbox. Missing parents need not be created (Maildir++ does not, like Dovecot):
     * {@link #list()} shows them as non-selectable while a child exists.
     *
     * @throws MailboxExistsException if it exists already
     * @throws InvalidMailboxNameException if the name is not acceptable
     */
    void create(String name) throws IOException;

    /**
     * Deletes a mailbox and its messages (RFC 3501 §6.3.4). Inferior mailboxes are kept; the
     * name then lives on as a non-selectable parent.
     *
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     * @throws StorageException for {@code INBOX}
     */
    void delete(String name) throws IOException;

    /**
     * Renames a mailbox and all its inferiors (RFC 3501 §6.3.5). Renaming {@code INBOX} moves
     * its messages into the new mailbox and leaves {@code INBOX} empty.
     */
    void rename(String from, String to) throws IOException;

    /** The subscribed names (which need not exist). */
    Set<String> subscriptions() throws IOException;

    void subscribe(String name) throws IOException;

    void unsubscribe(String name) throws IOException;

    /**
     * The special uses given to mailboxes by {@link #setSpecialUses} (RFC 6154), by canonical name; a
     * rename carries them to the new names, a delete drops them. Names need not exist.
     */
    Map<String, Set<SpecialUse>> specialUses() throws IOException;

    /** Gives {@code name} these special uses (none: takes them away). */
    void setSpecialUses(String name, Set<SpecialUse> uses) throws IOException;

    /**
     * Opens a mailbox for reading and writing messages.
     *
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     */
    MailboxStore mailbox(String name) throws IOException;

    /**
     * Where {@link #mailbox}({@code name}) will keep its index files, known without opening it, so that they are
     * read ahead while it opens; null when not known beforehand (the default) or when there are none.
     */
    default Path indexDirectory(String name) throws IOException {
        return null;
    }

    /**
     * Whether every mailbox keeps a {@link MailboxStore#guid() GUID} and its messages GUIDs that survive a COPY
     * or MOVE (RFC 8474 OBJECTID needs both).
     */
    default boolean keepsGuids() {
        return false;
    }

    /** The user's quota bookkeeping (one quota root over every mailbox). */
    QuotaStore quota();

    /**
     * Where the annotations (RFC 5464 metadata) of mailbox {@code name} are kept: a directory that the store
     * moves with the mailbox when it is renamed and removes with it when it is deleted; null when this store
     * keeps no annotations. The directory need not exist yet.
     */
    default Path annotationDirectory(String name) throws IOException {
        return null;
    }

    /** Where this user's annotations of the server as a whole are kept, or null when this store keeps none. */
    default Path serverAnnotationDirectory() {
        return null;
    }

    /**
     * The annotations this store keeps in its own records, or null when it keeps them in files
     * ({@link #annotationDirectory}, {@link #serverAnnotationDirectory}) or not at all.
     */
    default KeptAnnotations keptAnnotations() {
        return null;
    }
}
