package org.roost.lmtp;

import java.util.Locale;
import java.util.Set;
import org.roost.delivery.MailAddress;

/** Turns a command line into an {@link LmtpCommand}; never touches the session or the store. */
final class LmtpCommandParser {
    private static final Set<String> KNOWN = Set.of("LHLO", "HELO", "EHLO", "MAIL", "RCPT", "DATA", "BDAT", "RSET",
            "NOOP", "QUIT", "VRFY", "HELP", "STARTTLS", "EXPN");
    /** SIZE and BDAT sizes: 18 digits are beyond any limit and within a long. */
    private static final int MAX_DIGITS = 18;

    private LmtpCommandParser() {}

    static LmtpCommand parse(String line) throws LmtpSyntaxException {
        int space = line.indexOf(' ');
        var verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        var argument = space < 0 ? "" : line.substring(space + 1);
        var name = KNOWN.contains(verb) ? verb : "UNKNOWN";
        return switch (verb) {
            case "LHLO" -> lhlo(argument);
            case "HELO", "EHLO" -> new LmtpCommand.SmtpGreeting(verb);
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> noArgument(new LmtpCommand.Data(), argument);
            case "BDAT" -> bdat(argument);
            case "RSET" -> noArgument(new LmtpCommand.Rset(), argument);
            case "QUIT" -> noArgument(new LmtpCommand.Quit(), argument);
            case "STARTTLS" -> noArgument(new LmtpCommand.StartTls(), argument);
            case "NOOP" -> new LmtpCommand.Noop(); // RFC 5321 §4.1.1.9: a string argument is allowed and ignored
            case "VRFY" -> new LmtpCommand.Vrfy();
            case "HELP" -> new LmtpCommand.Help();
            case "EXPN" -> throw error(name, 502, "5.5.1", "EXPN is not supported");
            default -> throw error(name, 500, "5.5.1", "Unknown command");
        };
    }

    private static LmtpCommand lhlo(String argument) throws LmtpSyntaxException {
        var host = argument.strip();
        // A domain or an address literal (RFC 5321 §4.1.1.1); it goes into Received: fields, so nothing else.
        if (!host.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[A-Za-z0-9.:-]{1,64}\\]")) {
            throw error("LHLO", 501, "5.5.4", "Syntax: LHLO hostname");
        }
        return new LmtpCommand.Lhlo(host);
    }

    private static LmtpCommand noArgument(LmtpCommand command, String argument) throws LmtpSyntaxException {
        if (!argument.isBlank()) {
            throw error(command.name(), 501, "5.5.4", "Syntax: " + command.name() + " takes no argument");
        }
        return command;
    }

    /** {@code MAIL FROM:<reverse-path> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]} (RFC 5321 §4.1.1.2). */
    private static LmtpCommand mail(String argument) throws LmtpSyntaxException {
        var path = path("MAIL", argument, "FROM:", "Syntax: MAIL FROM:<address>");
        MailAddress sender = null;
        if (!path.address().isEmpty()) {
            try {
                sender = MailAddress.parse(path.address());
            } catch (MailAddress.Malformed e) {
                throw error("MAIL", 501, "5.1.7", "Invalid sender address: " + e.getMessage());
            }
        }
        long size = -1;
        boolean eightBit = false;
        boolean smtpUtf8 = false;
        for (var parameter : path.parameters()) {
            int eq = parameter.indexOf('=');
            var key = (eq < 0 ? parameter : parameter.substring(0, eq)).toUpperCase(Locale.ROOT);
            var value = eq < 0 ? null : parameter.substring(eq + 1);
            switch (key) {
                case "SIZE" -> size = size(value);
                case "BODY" -> eightBit = body(value);
                case "SMTPUTF8" -> {
                    if (value != null) {
                        throw error("MAIL", 501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    smtpUtf8 = true;
                }
                default -> throw error("MAIL", 555, "5.5.4", "Unsupported parameter: " + printable(key));
            }
        }
        return new LmtpCommand.Mail(sender, size, eightBit, smtpUtf8);
    }

    private static long size(String value) throws LmtpSyntaxException {
        if (value == null || value.isEmpty() || value.length() > MAX_DIGITS || !value.chars().allMatch(Character::isDigit)) {
            throw error("MAIL", 501, "5.5.4", "Syntax: SIZE=<number of octets>");
        }
        return Long.parseLong(value);
    }

    /** RFC 6152: 7BIT or 8BITMIME; BINARYMIME (RFC 3030) is not offered. */
    private static boolean body(String value) throws LmtpSyntaxException {
        var type = value == null ? "" : value.toUpperCase(Locale.ROOT);
        return switch (type) {
            case "7BIT" -> false;
            case "8BITMIME" -> true;
            default -> throw error("MAIL", 555, "5.5.4", "Unsupported BODY type; use 7BIT or 8BITMIME");
        };
    }

    /** {@code RCPT TO:<forward-path>} (RFC 5321 §4.1.1.3); no parameters are offered (no DSN). */
    private static LmtpCommand rcpt(String argument) throws LmtpSyntaxException {
        var path = path("RCPT", argument, "TO:", "Syntax: RCPT TO:<address>");
        if (!path.parameters().isEmpty()) {
            var key = path.parameters().getFirst();
            int eq = key.indexOf('=');
            throw error("RCPT", 555, "5.5.4", "Unsupported parameter: " + printable(eq < 0 ? key : key.substring(0, eq)));
        }
        if (path.address().isEmpty()) {
            throw error("RCPT", 501, "5.1.3", "Invalid recipient address: the null address");
        }
        try {
            return new LmtpCommand.Rcpt(MailAddress.parse(path.address()));
        } catch (MailAddress.Malformed e) {
            throw error("RCPT", 501, "5.1.3", "Invalid recipient address: " + e.getMessage());
        }
    }

    private record Path(String address, java.util.List<String> parameters) {}

    /**
     * {@code FROM:<path> params}: the keyword (a space after the colon is tolerated, as most servers do), the
     * path in angle brackets with any source route ({@code @a,@b:}) dropped (RFC 5321 §4.1.2), then parameters.
     */
    private static Path path(String verb, String argument, String keyword, String usage) throws LmtpSyntaxException {
        if (!argument.regionMatches(true, 0, keyword, 0, keyword.length())) {
            throw error(verb, 501, "5.5.4", usage);
        }
        var rest = argument.substring(keyword.length()).stripLeading();
        if (!rest.startsWith("<")) {
            throw error(verb, 501, "5.5.4", usage);
        }
        int close = closingBracket(rest);
        if (close < 0) {
            throw error(verb, 501, "5.5.4", usage);
        }
        var inside = rest.substring(1, close);
        if (inside.startsWith("@")) {
            int colon = inside.indexOf(':');
            if (colon < 0) {
                throw error(verb, 501, "5.5.4", usage);
            }
            inside = inside.substring(colon + 1);
        }
        var tail = rest.substring(close + 1);
        if (!tail.isEmpty() && !tail.startsWith(" ")) {
            throw error(verb, 501, "5.5.4", usage);
        }
        var parameters = tail.isBlank() ? java.util.List.<String>of() : java.util.List.of(tail.strip().split(" +"));
        return new Path(inside, parameters);
    }

    /** The '>' that closes the path, skipping quoted parts of the local part; -1 when there is none. */
    private static int closingBracket(String text) {
        boolean quoted = false;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && quoted) {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    /** {@code BDAT <size> [LAST]} (RFC 3030 §2). */
    private static LmtpCommand bdat(String argument) throws LmtpSyntaxException {
        var parts = argument.strip().split(" +");
        boolean sizeOk = parts.length >= 1 && !parts[0].isEmpty() && parts[0].length() <= MAX_DIGITS
                && parts[0].chars().allMatch(Character::isDigit);
        boolean lastOk = parts.length == 1 || parts.length == 2 && parts[1].equalsIgnoreCase("LAST");
        if (!sizeOk || !lastOk) {
            throw error("BDAT", 501, "5.5.4", "Syntax: BDAT <size> [LAST]");
        }
        return new LmtpCommand.Bdat(Long.parseLong(parts[0]), parts.length == 2);
    }

    /** A name from the client, safe to echo: printable ASCII, at most 32 characters. */
    private static String printable(String text) {
        var clean = text.replaceAll("[^!-~]", "?");
        return clean.length() > 32 ? clean.substring(0, 32) + "..." : clean;
    }

    private static LmtpSyntaxException error(String name, int code, String status, String text) {
        return new LmtpSyntaxException(name, LmtpReply.of(code, status, text));
    }
}
