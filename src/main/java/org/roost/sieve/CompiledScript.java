package org.roost.sieve;

import java.util.List;
import java.util.Set;

/** A script that compiled: its checked commands and the extensions it required. */
public final class CompiledScript {
    private final List<Node> commands;
    private final Set<String> extensions;

    CompiledScript(List<Node> commands, Set<String> extensions) {
        this.commands = commands;
        this.extensions = extensions;
    }

    List<Node> commands() {
        return commands;
    }

    /** The extensions the script names in {@code require}. */
    public Set<String> extensions() {
        return extensions;
    }
}
