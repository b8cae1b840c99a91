package org.roost.pop3;

/** A command line that cannot be parsed; the message is the text of the {@code -ERR} answer. */
final class Pop3SyntaxException extends Exception {
    private final String commandName;

    Pop3SyntaxException(String commandName, String message) {
        super(message, null, false, false);
        this.commandName = commandName;
    }

    /** The metrics label: the keyword when it was recognised, else "UNKNOWN". */
    String commandName() {
        return commandName;
    }
}
