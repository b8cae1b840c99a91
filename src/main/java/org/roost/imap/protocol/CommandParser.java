package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/**
 * Reads one command line (RFC 3501 §9 {@code command}): the tag, the name, and the arguments by
 * the name's rule in the {@link Grammar}. Every grammar error is a {@link BadCommand}, answered
 * with BAD before anything runs.
 */
public final class CommandParser {
    private final ImapReader reader;
    private final Grammar grammar;
    private final Arguments arguments;

    public CommandParser(ImapReader reader, Grammar grammar, ParserSettings settings) {
        this.reader = reader;
        this.grammar = grammar;
        this.arguments = new Arguments(reader, settings);
    }

    /** Decodes the mailbox names of the commands read from now on as {@code naming} says. */
    public void mailboxNaming(MailboxNaming naming) {
        arguments.naming(naming);
    }

    /** What was read of a command before it turned out bad: the tag, when there was one. */
    public static final class BadCommand extends Exception {
        private final String tag;
        private final String code;
        private final boolean refused;

        BadCommand(String tag, ImapParseException cause) {
            super(cause.getMessage(), null, false, false);
            this.tag = tag;
            this.refused = cause instanceof CommandRefusal;
            this.code = switch (cause) {
                case CommandRefusal refusal -> refusal.code();
                case ImapReader.LiteralTooBig tooBig -> "TOOBIG"; // a literal over the limit, RFC 7889 §4
                default -> null;
            };
        }

        public String tag() {
            return tag;
        }

        /** Whether the command is refused (NO, with {@link #code()}) rather than bad (BAD). */
        public boolean refused() {
            return refused;
        }

        /** The response code of the answer, or null. */
        public String code() {
            return code;
        }
    }

    /**
     * Reads the next command. Empty lines are skipped. A grammar error becomes {@link BadCommand}
     * after the rest of the line was discarded.
     */
    public Command next() throws IOException, ProtocolViolation, BadCommand {
        reader.startLine();
        while (reader.atLineEnd()) {
            reader.line();
            reader.startLine();
        }
        String tag = "*";
        try {
            tag = reader.tag();
            reader.space();
            var command = rule().parse(tag, arguments);
            reader.lineEnd();
            return command;
        } catch (ImapParseException e) {
            boolean lineEnded = e instanceof ImapReader.LiteralTooBig || e instanceof CommandRefusal r && r.lineEnded();
            if (!lineEnded) {
                reader.skipLine();
            }
            throw new BadCommand(tag, e);
        }
    }

    /** The rule of the command's name; the UID forms are named {@code "UID FETCH"} and so on. */
    private Syntax<?> rule() throws IOException, ProtocolViolation, ImapParseException {
        var name = name();
        if (!name.equals("UID")) {
            return grammar.rule(name)
                    .orElseThrow(() -> new ImapParseException("Unknown command " + Arguments.printable(name)));
        }
        reader.space();
        var command = name();
        return grammar.rule("UID " + command)
                .orElseThrow(() -> new ImapParseException("Unknown UID command " + Arguments.printable(command)));
    }

    private String name() throws IOException, ProtocolViolation, ImapParseException {
        return reader.atom().toUpperCase(Locale.ROOT);
    }
}
