package org.roost.imap.protocol;

/**
 * A command the grammar refuses with NO rather than BAD: it is well formed, but an argument is beyond what
 * the server takes, which is told while the command is read (so that a too large synchronizing literal is
 * never sent). Answered {@code NO [code] text}; the session goes on.
 *
 * @see CommandParser.BadCommand
 */
public final class CommandRefusal extends ImapParseException {
    private final String code;
    private final boolean lineEnded;

    /**
     * {@code code}: the response code (without brackets); {@code lineEnded}: whether the client sends nothing
     * more of the command (it waits for the continuation of a synchronizing literal).
     */
    public CommandRefusal(String code, String text, boolean lineEnded) {
        super(text);
        this.code = code;
        this.lineEnded = lineEnded;
    }

    public String code() {
        return code;
    }

    public boolean lineEnded() {
        return lineEnded;
    }
}
