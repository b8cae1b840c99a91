package org.roost.imap.command;

import java.util.Optional;
import java.util.Set;
import org.roost.imap.protocol.MailboxNaming;

/**
 * What an executor may know of its session when its command starts.
 *
 * @param id               the session's id, for log lines
 * @param protocol         the metrics label ("imap", "imaps")
 * @param state            the connection state
 * @param user             the logged-in user
 * @param tls              whether the connection is encrypted
 * @param plaintextAllowed whether credentials may be sent here (TLS, or {@code auth.secureNetworks})
 * @param enabled          the extensions enabled (RFC 5161) when the command started
 * @param keepsGuids       whether the user's mail keeps the GUIDs of mailboxes and messages (RFC 8474 OBJECTID)
 */
public record SessionFacts(String id, String protocol, SessionState state, Optional<String> user, boolean tls,
        boolean plaintextAllowed, Set<Extension> enabled, boolean keepsGuids) {

    /** Whether {@code extension} was enabled when the command started. */
    public boolean has(Extension extension) {
        return enabled.contains(extension);
    }

    /** How mailbox names travel in this session. */
    public MailboxNaming naming() {
        return naming(enabled);
    }

    /**
     * UTF-8 once IMAP4rev2 (RFC 9051 §5.1) or UTF8=ACCEPT (RFC 6855 §3) is enabled, modified UTF-7 before
     * (RFC 9051 Appendix A).
     */
    public static MailboxNaming naming(Set<Extension> enabled) {
        return enabled.contains(Extension.IMAP4REV2) || enabled.contains(Extension.UTF8_ACCEPT) ? MailboxNaming.UTF8
                : MailboxNaming.MODIFIED_UTF7;
    }
}
