package org.roost.imap.command;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An extension a client turns on for its session, with ENABLE (RFC 5161) or, for CONDSTORE, with
 * any "CONDSTORE enabling command" (RFC 7162 §3.1). Once on, it stays on until the connection ends.
 */
public enum Extension {
    /** MODSEQ in every untagged FETCH, HIGHESTMODSEQ at SELECT (RFC 7162 §3.1). */
    CONDSTORE("CONDSTORE"),
    /** CONDSTORE, and VANISHED instead of EXPUNGE (RFC 7162 §3.2.3, §3.2.10). */
    QRESYNC("QRESYNC"),
    /** Messages named by UID only, in commands and responses (RFC 9586); enabled before SELECT only (§3.1). */
    UIDONLY("UIDONLY"),
    /**
     * IMAP4rev2's semantics beside IMAP4rev1's (RFC 9051 Appendix A): no {@code \Recent} and no RECENT,
     * ESEARCH answers to SEARCH, a LIST at SELECT, UTF-8 mailbox names. docs/imap4rev2.md lists them all.
     */
    IMAP4REV2("IMAP4rev2"),
    /**
     * UTF-8 in quoted strings and mailbox names (RFC 6855 §3), as IMAP4rev2 has them; enabled in the authenticated
     * state only. APPEND's {@code UTF8 (literal8)} is accepted whether or not it is enabled (§4).
     */
    UTF8_ACCEPT("UTF8=ACCEPT");

    /** The name ENABLED gives it back with (RFC 9051 §6.3.1 spells {@code IMAP4rev2} so). */
    private final String wireName;

    Extension(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The extension ENABLE names so (upper case), if it is one that can be enabled. */
    public static Optional<Extension> named(String name) {
        for (var e : values()) {
            if (e.wireName().toUpperCase(Locale.ROOT).equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** What enabling this turns on: QRESYNC brings CONDSTORE (RFC 7162 §3.2.3). */
    public Set<Extension> implied() {
        return this == QRESYNC ? EnumSet.of(QRESYNC, CONDSTORE) : EnumSet.of(this);
    }
}
