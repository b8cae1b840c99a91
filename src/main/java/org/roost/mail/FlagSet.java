package org.roost.mail;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Flags named together, as a client names them for a message (APPEND, STORE): system flags, and
 * keywords in the order given.
 */
public record FlagSet(Set<SystemFlag> system, Set<String> keywords) {
    public static final FlagSet NONE = new FlagSet(Set.of(), Set.of());

    public FlagSet {
        system = Set.copyOf(system);
        keywords = Collections.unmodifiableSet(new LinkedHashSet<>(keywords));
    }
}
