package org.roost.imap.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * The commands a server understands: each name ({@code "FETCH"}, {@code "UID FETCH"}) with its
 * rule. A name that is not here is an unknown command; an extension that is off is not here.
 */
public record Grammar(Map<String, Syntax<?>> rules) {

    public Grammar {
        rules = Map.copyOf(rules);
    }

    /** The rule of {@code name} (upper case, {@code "UID "} prefixed for the UID forms). */
    public Optional<Syntax<?>> rule(String name) {
        return Optional.ofNullable(rules.get(name));
    }
}
