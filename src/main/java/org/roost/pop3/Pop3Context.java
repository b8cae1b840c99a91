package org.roost.pop3;

import org.roost.config.RoostConfig;
import org.roost.session.SessionServices;

/**
 * What every POP3 session of the server shares.
 *
 * @param services       what the sessions of every protocol share
 * @param uidlFormat     {@code pop3.uidlFormat}
 * @param markSeenOnRetr {@code pop3.markSeenOnRetr}
 * @param locks          one maildrop lock per user over every POP3 session
 */
public record Pop3Context(SessionServices services, UidlFormat uidlFormat, boolean markSeenOnRetr, MaildropLocks locks) {

    /** Builds the context from the {@code pop3} config section. */
    public static Pop3Context of(RoostConfig.Pop3 config, SessionServices services) {
        return new Pop3Context(services, UidlFormat.parse(config.uidlFormat()), config.markSeenOnRetr(), new MaildropLocks());
    }
}
