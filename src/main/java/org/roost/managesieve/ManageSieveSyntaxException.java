package org.roost.managesieve;

/** A command that cannot be parsed; {@code commandName} labels it in the meters ("INVALID" when unknown). */
final class ManageSieveSyntaxException extends Exception {
    private final String commandName;

    ManageSieveSyntaxException(String commandName, String message) {
        super(message, null, false, false);
        this.commandName = commandName;
    }

    String commandName() {
        return commandName;
    }
}
