package org.roost.pop3;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.roost.mail.StoredMessage;

/**
 * Unique-ID listings in Dovecot's {@code pop3_uidl_format} notation, so that clients moving from
 * Dovecot keep their UIDLs and download nothing twice. A variable is
 * {@code %[-][0][width][.offset][modifiers]variable}, as Dovecot's var_expand reads it:
 * variables {@code u}/{@code {uid}}, {@code v}/{@code {uidvalidity}}, {@code f}/{@code {filename}};
 * modifiers {@code X} (decimal to lower-case hex, as Dovecot prints it), {@code L} and {@code U} (case);
 * a width with {@code 0} pads on the left, a width without it truncates. {@code %%} is a percent sign.
 * Default {@code %08Xu%08Xv}: UID then UIDVALIDITY, eight hex digits each.
 */
public final class UidlFormat {
    private sealed interface Part {}

    private record Literal(String text) implements Part {}

    private record Placeholder(char variable, String modifiers, boolean zeroPad, int width, int offset) implements Part {}

    private final List<Part> parts;

    private UidlFormat(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** @throws IllegalArgumentException naming the first variable that cannot be expanded */
    public static UidlFormat parse(String format) {
        var parts = new ArrayList<Part>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (i < format.length() && format.charAt(i) == '%') {
                literal.append('%');
                i++;
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            i = variable(format, i, parts);
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new UidlFormat(parts);
    }

    private static int variable(String format, int start, List<Part> parts) {
        int i = start;
        int sign = 1;
        if (i < format.length() && format.charAt(i) == '-') {
            sign = -1;
            i++;
        }
        boolean zero = i < format.length() && format.charAt(i) == '0';
        if (zero) {
            i++;
        }
        int width = 0;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
            width = width * 10 + (format.charAt(i++) - '0');
        }
        int offset = 0;
        if (i < format.length() && format.charAt(i) == '.') {
            offset = sign * width;
            width = 0;
            i++;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i++) - '0');
            }
        }
        var modifiers = new StringBuilder();
        while (i < format.length() && "XLU".indexOf(format.charAt(i)) >= 0) {
            modifiers.append(format.charAt(i++));
        }
        if (i >= format.length()) {
            throw new IllegalArgumentException("unfinished variable at the end of '" + format + "'");
        }
        char variable;
        if (format.charAt(i) == '{') {
            int close = format.indexOf('}', i);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed %{ in '" + format + "'");
            }
            variable = switch (format.substring(i + 1, close)) {
                case "uid" -> 'u';
                case "uidvalidity" -> 'v';
                case "filename" -> 'f';
                default -> throw unknown(format.substring(i, close + 1), format);
            };
            i = close + 1;
        } else {
            variable = format.charAt(i++);
            if ("uvf".indexOf(variable) < 0) {
                throw unknown("%" + variable, format);
            }
        }
        parts.add(new Placeholder(variable, modifiers.toString(), zero, width, offset));
        return i;
    }

    private static IllegalArgumentException unknown(String variable, String format) {
        return new IllegalArgumentException("unsupported variable " + variable + " in '" + format
                + "' (supported: %u, %v, %f)");
    }

    /** The UIDL of {@code message} in a mailbox whose UIDVALIDITY is {@code uidValidity}. */
    public String format(StoredMessage message, long uidValidity) {
        var sb = new StringBuilder(24);
        for (var part : parts) {
            switch (part) {
                case Literal l -> sb.append(l.text());
                case Placeholder p -> sb.append(expand(p, switch (p.variable()) {
                    case 'u' -> Long.toString(message.uid());
                    case 'v' -> Long.toString(uidValidity);
                    default -> message.key();
                }));
            }
        }
        return sb.toString();
    }

    private static String expand(Placeholder p, String value) {
        for (char m : p.modifiers().toCharArray()) {
            value = switch (m) {
                case 'X' -> hex(value);
                case 'L' -> value.toLowerCase(Locale.ROOT);
                default -> value.toUpperCase(Locale.ROOT);
            };
        }
        if (p.offset() != 0) {
            int from = p.offset() > 0 ? Math.min(p.offset(), value.length()) : Math.max(0, value.length() + p.offset());
            value = value.substring(from);
        }
        if (p.width() == 0) {
            return value;
        }
        if (p.zeroPad()) {
            return value.length() >= p.width() ? value : "0".repeat(p.width() - value.length()) + value;
        }
        return value.length() > p.width() ? value.substring(0, p.width()) : value;
    }

    /** Dovecot's X: the leading decimal digits as an unsigned number, printed in lower-case hex. */
    private static String hex(String value) {
        int end = 0;
        while (end < value.length() && end < 19 && Character.isDigit(value.charAt(end))) {
            end++;
        }
        return Long.toHexString(end == 0 ? 0 : Long.parseLong(value.substring(0, end)));
    }
}
