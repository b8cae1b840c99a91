package org.roost.imap.command;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.imap.protocol.Command;
import org.roost.imap.protocol.Syntax;
import org.roost.imap.protocol.response.Reply;
import org.roost.net.ProtocolViolation;

/**
 * What one IMAP command does: the names it answers to with their grammar rules, the states it may
 * run in, whether EXPUNGE responses may follow it, what it adds to CAPABILITY, and its execution.
 * Executors are made once per server and shared by every session; all a session gives one is the
 * {@link CommandContext}.
 */
public abstract class CommandExecutor<C extends Command> {
    private final Set<SessionState> states;
    private final Map<String, Syntax<? extends C>> syntax;
    private final List<Capability> capabilities;

    /**
     * {@code states}: where the command may run (RFC 3501 §6; elsewhere it is answered BAD);
     * {@code syntax}: the command names this executor runs ({@code "FETCH"}, {@code "UID FETCH"}),
     * each with its rule; {@code capabilities}: what it adds to CAPABILITY.
     */
    protected CommandExecutor(Set<SessionState> states, Map<String, Syntax<? extends C>> syntax,
            List<Capability> capabilities) {
        this.states = Set.copyOf(states);
        this.syntax = Map.copyOf(syntax);
        this.capabilities = List.copyOf(capabilities);
    }

    protected CommandExecutor(Set<SessionState> states, Map<String, Syntax<? extends C>> syntax) {
        this(states, syntax, List.of());
    }

    public final Set<SessionState> states() {
        return states;
    }

    public final Map<String, Syntax<? extends C>> syntax() {
        return syntax;
    }

    public final List<Capability> capabilities() {
        return capabilities;
    }

    /**
     * Whether the session may report expunges after this command (RFC 3501 §7.4.1: not after FETCH,
     * STORE and SEARCH, whose answers name messages by sequence number; their UID forms may).
     */
    public boolean expungesAllowedAfter(C command) {
        return true;
    }

    /**
     * Runs the command; untagged responses go to the context's writer, the tagged one is returned.
     * A set naming messages the mailbox does not have may be left to the session (BAD).
     */
    public abstract Reply execute(C command, CommandContext context)
            throws IOException, ProtocolViolation, MessageSets.InvalidSet;
}
