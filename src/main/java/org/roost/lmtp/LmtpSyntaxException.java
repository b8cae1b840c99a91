package org.roost.lmtp;

/** A command that cannot be parsed, with the reply that says why. */
final class LmtpSyntaxException extends Exception {
    private final transient LmtpReply reply;
    private final String commandName;

    LmtpSyntaxException(String commandName, LmtpReply reply) {
        super(reply.text(), null, false, false);
        this.commandName = commandName;
        this.reply = reply;
    }

    LmtpReply reply() {
        return reply;
    }

    /** The verb as sent if it is one Roost knows, else "UNKNOWN" (a bounded meter label). */
    String commandName() {
        return commandName;
    }
}
