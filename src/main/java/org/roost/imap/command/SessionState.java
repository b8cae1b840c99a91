package org.roost.imap.command;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The connection states of RFC 3501 §3. */
public enum SessionState {
    NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT;

    /** Where CAPABILITY, NOOP, LOGOUT and ID may run: any state (RFC 3501 §6.1). */
    public static final Set<SessionState> ANY = EnumSet.of(NOT_AUTHENTICATED, AUTHENTICATED, SELECTED);
    /** Before login only (RFC 3501 §6.2). */
    public static final Set<SessionState> NOT_AUTHENTICATED_ONLY = EnumSet.of(NOT_AUTHENTICATED);
    /** Once logged in, with or without a selected mailbox (RFC 3501 §6.3). */
    public static final Set<SessionState> AUTHENTICATED_OR_SELECTED = EnumSet.of(AUTHENTICATED, SELECTED);
    /** With a selected mailbox (RFC 3501 §6.4). */
    public static final Set<SessionState> SELECTED_ONLY = EnumSet.of(SELECTED);

    /** The metrics label of the state. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
