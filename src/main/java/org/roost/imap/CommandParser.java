package org.roost.imap;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** Parses one command line (RFC 3501 §9 {@code command}) into a {@link Command}. */
public final class CommandParser {
    private final ImapReader reader;

    public CommandParser(ImapReader reader) {
        this.reader = reader;
    }

    /** What was read of a command before it turned out bad: the tag, when there was one. */
    public static final class BadCommand extends Exception {
        private final String tag;

        BadCommand(String tag, String message) {
            super(message, null, false, false);
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /**
     * Reads the next command. Empty lines are skipped. A grammar error becomes {@link BadCommand}
     * after the rest of the line was discarded.
     */
    public Command next() throws IOException, ProtocolViolation, BadCommand {
        reader.startLine();
        while (reader.atLineEnd()) {
            consumeEmptyLine();
        }
        String tag = "*";
        try {
            tag = reader.tag();
            reader.space();
            var name = reader.atom().toUpperCase(Locale.ROOT);
            var command = arguments(tag, name);
            reader.lineEnd();
            return command;
        } catch (ImapParseException e) {
            if (!(e instanceof ImapReader.LiteralTooBig)) {
                reader.skipLine();
            }
            throw new BadCommand(tag, e.getMessage());
        }
    }

    private void consumeEmptyLine() throws IOException, ProtocolViolation {
        reader.line();
        reader.startLine();
    }

    private Command arguments(String tag, String name) throws IOException, ProtocolViolation, ImapParseException {
        return switch (name) {
            case "CAPABILITY" -> new Command.Capability(tag);
            case "NOOP" -> new Command.Noop(tag);
            case "LOGOUT" -> new Command.Logout(tag);
            case "STARTTLS" -> new Command.StartTls(tag);
            case "LOGIN" -> login(tag);
            case "AUTHENTICATE" -> authenticate(tag);
            default -> throw new ImapParseException("Unknown command " + printable(name));
        };
    }

    private Command login(String tag) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var user = reader.astringUtf8();
        reader.space();
        var password = reader.astring();
        return new Command.Login(tag, user, password);
    }

    private Command authenticate(String tag) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var mechanism = reader.atom().toUpperCase(Locale.ROOT);
        Optional<byte[]> initial = Optional.empty();
        if (reader.peek() == ' ') {
            reader.space();
            initial = Optional.of(saslResponse(reader.chars(c -> c > ' ' && c < 0x7f, "an initial response")));
        }
        return new Command.Authenticate(tag, mechanism, initial);
    }

    /** Decodes a base64 SASL response; "=" is the empty response (RFC 4959). */
    public static byte[] saslResponse(String text) throws ImapParseException {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException("Invalid base64");
        }
    }

    private static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
