package org.roost.pop3;

import org.roost.config.RoostConfig;
import org.roost.session.SessionServices;

/**
 * What every POP3 session of the server shares.
 *
 * @param services   what the sessions of every protocol share
 * @param settings   the {@code pop3} config section
 * @param uidlFormat {@code pop3.uidlFormat}, parsed
 * @param locks      one maildrop lock per user over every POP3 session
 */
public record Pop3Context(SessionServices services, RoostConfig.Pop3 settings, UidlFormat uidlFormat, MaildropLocks locks) {

    /** Builds the context from the {@code pop3} config section. */
    public static Pop3Context of(RoostConfig.Pop3 settings, SessionServices services) {
        return new Pop3Context(services, settings, UidlFormat.parse(settings.uidlFormat()), new MaildropLocks());
    }
}
