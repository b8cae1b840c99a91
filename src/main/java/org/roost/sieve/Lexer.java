package org.roost.sieve;

import java.util.ArrayList;
import java.util.List;
import org.roost.sieve.Token.Kind;

/**
 * Splits a script into tokens (RFC 5228 §8.1): comments, identifiers, tags, numbers with K/M/G, quoted strings
 * with their two escapes, and {@code text:} multi-line strings with dot-unstuffing. Line ends may be CRLF or LF
 * (scripts on disk usually have LF).
 */
final class Lexer {
    private final String text;
    private int at;
    private int line = 1;

    private Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) throws SieveSyntaxException {
        var lexer = new Lexer(text);
        var tokens = new ArrayList<Token>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private Token next() throws SieveSyntaxException {
        skipSpaceAndComments();
        if (at >= text.length()) {
            return new Token(Kind.END, "", 0, line);
        }
        char c = text.charAt(at);
        int start = line;
        var single = switch (c) {
            case '[' -> Kind.LEFT_BRACKET;
            case ']' -> Kind.RIGHT_BRACKET;
            case ',' -> Kind.COMMA;
            case ';' -> Kind.SEMICOLON;
            case '{' -> Kind.LEFT_BRACE;
            case '}' -> Kind.RIGHT_BRACE;
            case '(' -> Kind.LEFT_PAREN;
            case ')' -> Kind.RIGHT_PAREN;
            default -> null;
        };
        if (single != null) {
            at++;
            return new Token(single, String.valueOf(c), 0, start);
        }
        if (c == '"') {
            return new Token(Kind.STRING, quoted(), 0, start);
        }
        if (c == ':') {
            at++;
            if (at >= text.length() || !identifierStart(text.charAt(at))) {
                throw error("a tag needs a name after ':'");
            }
            return new Token(Kind.TAG, identifier(), 0, start);
        }
        if (c >= '0' && c <= '9') {
            return new Token(Kind.NUMBER, "", number(), start);
        }
        if (identifierStart(c)) {
            var word = identifier();
            if (word.equalsIgnoreCase("text") && at < text.length() && text.charAt(at) == ':') {
                at++;
                return new Token(Kind.STRING, multiLine(), 0, start);
            }
            return new Token(Kind.IDENTIFIER, word, 0, start);
        }
        throw error("unexpected character '" + printable(c) + "'");
    }

    private void skipSpaceAndComments() throws SieveSyntaxException {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
                at++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                at++;
            } else if (c == '#') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else if (c == '/' && at + 1 < text.length() && text.charAt(at + 1) == '*') {
                int end = text.indexOf("*/", at + 2);
                if (end < 0) {
                    throw error("a comment /* ... is not closed");
                }
                countLines(at, end + 2);
                at = end + 2;
            } else {
                return;
            }
        }
    }

    private String identifier() {
        int start = at;
        while (at < text.length() && (identifierStart(text.charAt(at)) || Character.isDigit(text.charAt(at))
                && text.charAt(at) < 0x80)) {
            at++;
        }
        return text.substring(start, at);
    }

    private static boolean identifierStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** RFC 5228 §2.4.1: a number with an optional quantifier; more than 2^63-1 is an error, not a wrap. */
    private long number() throws SieveSyntaxException {
        long value = 0;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            try {
                value = Math.addExact(Math.multiplyExact(value, 10), text.charAt(at++) - '0');
            } catch (ArithmeticException e) {
                throw error("number too large");
            }
        }
        int shift = 0;
        if (at < text.length()) {
            shift = switch (Character.toUpperCase(text.charAt(at))) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                default -> 0;
            };
            if (shift > 0) {
                at++;
            }
        }
        if (value > (Long.MAX_VALUE >> shift)) {
            throw error("number too large");
        }
        return value << shift;
    }

    /** RFC 5228 §2.4.2: {@code \\} and {@code \"} are escapes; any other backslash is dropped. */
    private String quoted() throws SieveSyntaxException {
        int start = line;
        at++;
        var out = new StringBuilder();
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\' && at < text.length()) {
                c = text.charAt(at++);
            }
            if (c == '\n') {
                line++;
            }
            out.append(c);
        }
        throw new SieveSyntaxException(start, "a string is not closed (missing '\"')");
    }

    /** RFC 5228 §2.4.2: {@code text:}, the rest of the line, then lines up to a lone "."; ".." starts a line with ".". */
    private String multiLine() throws SieveSyntaxException {
        int start = line;
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
        if (at < text.length() && text.charAt(at) == '#') {
            while (at < text.length() && text.charAt(at) != '\n') {
                at++;
            }
        }
        if (at < text.length() && text.charAt(at) == '\r') {
            at++;
        }
        if (at >= text.length() || text.charAt(at) != '\n') {
            throw error("'text:' must end its line");
        }
        at++;
        line++;
        var out = new StringBuilder();
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                break;
            }
            var content = text.substring(at, end > at && text.charAt(end - 1) == '\r' ? end - 1 : end);
            at = end + 1;
            line++;
            if (content.equals(".")) {
                return out.toString();
            }
            out.append(content.startsWith("..") ? content.substring(1) : content).append("\r\n");
        }
        throw new SieveSyntaxException(start, "a text: string is not ended by a line with a single '.'");
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private SieveSyntaxException error(String message) {
        return new SieveSyntaxException(line, message);
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c);
    }
}
