package org.roost.imap;

import java.nio.file.Path;
import org.roost.session.SessionServices;

/**
 * What every IMAP session of the server shares.
 *
 * @param services what the sessions of every protocol share
 * @param tempDir  where APPEND spools large messages before they are stored
 */
public record ImapContext(SessionServices services, Path tempDir) {}
