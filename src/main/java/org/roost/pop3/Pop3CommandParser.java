package org.roost.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.roost.session.SaslChannel;

/**
 * Turns one command line (without its CRLF) into a {@link Pop3Command}. Keywords are
 * case-insensitive and arguments are separated by spaces (RFC 1939 §3); nothing here touches
 * the mailbox, so a range check against the maildrop happens when the command runs.
 */
final class Pop3CommandParser {
    private static final Set<String> KNOWN = Set.of("USER", "PASS", "APOP", "AUTH", "CAPA", "STLS", "QUIT",
            "STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "NOOP", "RSET");
    /** RFC 1939 §3: each argument may be up to 40 characters; user names get more room for addresses. */
    private static final int MAX_ARGUMENT = 255;

    private Pop3CommandParser() {}

    static Pop3Command parse(String line) throws Pop3SyntaxException {
        int space = line.indexOf(' ');
        var keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        var rest = space < 0 ? "" : line.substring(space + 1);
        if (!KNOWN.contains(keyword)) {
            throw new Pop3SyntaxException("UNKNOWN", keyword.isEmpty() ? "Empty command line."
                    : "Unknown command: " + printable(keyword));
        }
        if (keyword.equals("PASS")) {
            return pass(rest);
        }
        var args = rest.strip().isEmpty() ? new String[0] : rest.strip().split(" +");
        for (var arg : args) {
            if (arg.length() > MAX_ARGUMENT) {
                throw new Pop3SyntaxException(keyword, "Argument too long.");
            }
        }
        return switch (keyword) {
            case "USER" -> new Pop3Command.User(one(keyword, args, "a user name"));
            case "APOP" -> apop(args);
            case "AUTH" -> auth(args);
            case "CAPA" -> none(keyword, args, new Pop3Command.Capa());
            case "STLS" -> none(keyword, args, new Pop3Command.Stls());
            case "QUIT" -> none(keyword, args, new Pop3Command.Quit());
            case "STAT" -> none(keyword, args, new Pop3Command.Stat());
            case "NOOP" -> none(keyword, args, new Pop3Command.Noop());
            case "RSET" -> none(keyword, args, new Pop3Command.Rset());
            case "LIST" -> new Pop3Command.List(optionalMessage(keyword, args));
            case "UIDL" -> new Pop3Command.Uidl(optionalMessage(keyword, args));
            case "RETR" -> new Pop3Command.Retr(messageNumber(keyword, one(keyword, args, "a message number")));
            case "DELE" -> new Pop3Command.Dele(messageNumber(keyword, one(keyword, args, "a message number")));
            default -> top(args);
        };
    }

    private static Pop3Command pass(String rest) throws Pop3SyntaxException {
        if (rest.isEmpty()) {
            throw new Pop3SyntaxException("PASS", "PASS needs a password.");
        }
        return new Pop3Command.Pass(rest.getBytes(StandardCharsets.UTF_8));
    }

    private static Pop3Command apop(String[] args) throws Pop3SyntaxException {
        if (args.length != 2) {
            throw new Pop3SyntaxException("APOP", "APOP needs a user name and a digest.");
        }
        if (!args[1].matches("[0-9a-fA-F]{32}")) {
            throw new Pop3SyntaxException("APOP", "The APOP digest must be 32 hexadecimal digits.");
        }
        return new Pop3Command.Apop(args[0], args[1].toLowerCase(Locale.ROOT));
    }

    /** RFC 5034 §4: {@code AUTH mechanism [initial-response]}, where "=" is an empty initial response. */
    private static Pop3Command auth(String[] args) throws Pop3SyntaxException {
        if (args.length > 2) {
            throw new Pop3SyntaxException("AUTH", "Too many arguments to AUTH.");
        }
        if (args.length == 0) {
            return new Pop3Command.Auth(Optional.empty(), Optional.empty());
        }
        if (args.length == 1) {
            return new Pop3Command.Auth(Optional.of(args[0]), Optional.empty());
        }
        var initial = args[1].equals("=") ? Optional.of(new byte[0]) : base64(args[1]);
        if (initial.isEmpty()) {
            throw new Pop3SyntaxException("AUTH", "Invalid base64 data in the initial response.");
        }
        return new Pop3Command.Auth(Optional.of(args[0]), initial);
    }

    /** RFC 5034 §4: anything outside the base64 alphabet or a misplaced pad is an error, never ignored. */
    static Optional<byte[]> base64(String text) {
        return SaslChannel.base64(text);
    }

    private static Pop3Command top(String[] args) throws Pop3SyntaxException {
        if (args.length != 2) {
            throw new Pop3SyntaxException("TOP", "TOP needs a message number and a number of lines.");
        }
        int message = messageNumber("TOP", args[0]);
        if (!args[1].matches("\\d+")) {
            throw new Pop3SyntaxException("TOP", "Invalid number of lines: " + printable(args[1]));
        }
        long lines = args[1].length() > 18 ? Long.MAX_VALUE : Long.parseLong(args[1]);
        return new Pop3Command.Top(message, lines);
    }

    private static Pop3Command none(String keyword, String[] args, Pop3Command command) throws Pop3SyntaxException {
        if (args.length > 0) {
            throw new Pop3SyntaxException(keyword, keyword + " takes no arguments.");
        }
        return command;
    }

    private static String one(String keyword, String[] args, String what) throws Pop3SyntaxException {
        if (args.length != 1) {
            throw new Pop3SyntaxException(keyword, keyword + " needs " + what + ".");
        }
        return args[0];
    }

    private static OptionalInt optionalMessage(String keyword, String[] args) throws Pop3SyntaxException {
        if (args.length > 1) {
            throw new Pop3SyntaxException(keyword, keyword + " takes at most one message number.");
        }
        return args.length == 0 ? OptionalInt.empty() : OptionalInt.of(messageNumber(keyword, args[0]));
    }

    /** A message number is a positive decimal (RFC 1939 §3); numbers beyond int range cannot exist. */
    private static int messageNumber(String keyword, String text) throws Pop3SyntaxException {
        if (!text.matches("\\d{1,10}") || Long.parseLong(text) == 0 || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new Pop3SyntaxException(keyword, "Invalid message number: " + printable(text));
        }
        return Integer.parseInt(text);
    }

    /** Echoes client text safely: printable ASCII only, and short. */
    static String printable(String text) {
        var sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 40; i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
