package org.roost.imap.command;

import java.util.Optional;

/**
 * What an executor may know of its session when its command starts.
 *
 * @param id               the session's id, for log lines
 * @param protocol         the metrics label ("imap", "imaps")
 * @param state            the connection state
 * @param user             the logged-in user
 * @param tls              whether the connection is encrypted
 * @param plaintextAllowed whether credentials may be sent here (TLS, or {@code auth.secureNetworks})
 */
public record SessionFacts(String id, String protocol, SessionState state, Optional<String> user, boolean tls,
        boolean plaintextAllowed) {}
