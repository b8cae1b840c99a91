package org.roost.imap.protocol;

import java.util.Map;

/** A command that takes no arguments: CAPABILITY, NOOP, LOGOUT, STARTTLS, CHECK, CLOSE, UNSELECT, IDLE, NAMESPACE. */
public record NoArguments(String tag, String name) implements Command {

    /** The argument-less command {@code name}, with its rule. */
    public static Map<String, Syntax<? extends NoArguments>> named(String name) {
        return Map.of(name, (tag, in) -> new NoArguments(tag, name));
    }
}
