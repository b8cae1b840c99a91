package org.roost.index;

import java.util.Set;
import org.roost.mail.SpecialUse;

/**
 * A mailbox the administrator names for a special use (RFC 6154), as Dovecot's {@code mailbox NAME {
 * special_use = ...; auto = ... }}: every user's mailbox of that name has these uses, and is made (and
 * subscribed) when the user's mail is first reached after login, if {@code auto} says so.
 */
public record SpecialMailbox(String name, Set<SpecialUse> uses, Auto auto) {

    /** Dovecot's {@code auto}: leave it to the user, create it, or create and subscribe it. */
    public enum Auto { NO, CREATE, SUBSCRIBE }

    public SpecialMailbox {
        uses = Set.copyOf(uses);
    }
}
