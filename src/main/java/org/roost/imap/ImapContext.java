package org.roost.imap;

import java.nio.file.Path;
import org.roost.config.RoostConfig;
import org.roost.imap.protocol.ParserSettings;
import org.roost.session.SessionServices;

/**
 * What every IMAP session of the server shares.
 *
 * @param services what the sessions of every protocol share
 * @param commands the commands the sessions run
 * @param parser   what bounds the grammar
 */
public record ImapContext(SessionServices services, ImapCommands commands, ParserSettings parser) {

    /** The standard commands with {@code imap.*} settings; an APPEND's large message waits in {@code spoolDirectory}. */
    public static ImapContext create(SessionServices services, RoostConfig.Imap imap, Path spoolDirectory) {
        var limits = services.limits();
        return new ImapContext(services, ImapCommands.standard(services, imap),
                new ParserSettings(spoolDirectory, limits.maxSearchDepth(), limits.maxIdParameters(),
                        limits.maxFetchHeaderFields(), limits.maxNotifyMailboxes(), limits.maxAppendMessages(),
                        limits.maxCatenateParts(), imap.urlauth().maxUrlLength(), imap.urlauth().maxUrls()));
    }
}
