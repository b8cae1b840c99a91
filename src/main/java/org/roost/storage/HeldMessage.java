package org.roost.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import org.roost.mail.StoredMessage;

/**
 * A message's bytes kept readable after it was expunged, for sessions that still show it until
 * they may be told (RFC 2180 §4.1.1). Closing lets the storage free them.
 */
public interface HeldMessage extends Closeable {

    /** The raw bytes as stored, from the start; any number of streams may be open at once. */
    InputStream open() throws IOException;

    /**
     * The message as the storage {@link MailboxStore#stat stated} it when it was held, so that a date or
     * size not looked up before the expunge can still be told (unknown only if its file moved meanwhile).
     */
    StoredMessage stated();
}
