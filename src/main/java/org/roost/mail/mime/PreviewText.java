package org.roost.mail.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A message's preview (RFC 8970 §3.3): the start of its first text/plain part that is no attachment (else of
 * its first text/html one, markup, scripts and styles left out), transfer encoding and charset decoded, quoted
 * lines left out, white space folded, at most so many characters; empty when the message has no such text.
 *
 * <p>Bounded for hostile messages: at most {@link #MAX_RAW_BYTES} of the part are read, the part is looked for
 * among the parts the parser kept (its own depth and count bounds), an unknown or malformed charset reads as
 * UTF-8 with replacement characters, and every loop is one pass over bytes already bounded.
 */
public final class PreviewText {
    /** Bytes of the chosen part read at most (a megabyte of style sheets before the text yields no preview). */
    static final int MAX_RAW_BYTES = 256 * 1024;
    /** RFC 8970 §3.3: the server SHOULD send at most 200 characters... */
    public static final int SUGGESTED_CHARS = 200;
    /** ...and MUST NOT send more than 256. */
    public static final int MAX_CHARS = 256;
    /** Elements within a line of text: their tags part no words. */
    private static final Set<String> INLINE = Set.of("a", "abbr", "b", "big", "cite", "code", "em", "font", "i", "kbd",
            "mark", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "u");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", " ");

    private PreviewText() {}

    /** The preview of the message {@code normalized} (its bytes from the start) whose structure is {@code structure}. */
    public static String of(MessageStructure structure, InputStream normalized, int maxChars) throws IOException {
        var part = textPart(structure.root(), "plain");
        if (part == null) {
            part = textPart(structure.root(), "html");
        }
        if (part == null) {
            return "";
        }
        normalized.skipNBytes(part.bodyStart());
        var raw = normalized.readNBytes((int) Math.min(part.bodySize(), MAX_RAW_BYTES));
        var text = new String(decoded(raw, part.transferEncoding()), charset(part));
        var plain = part.mediaSubtype().equals("html") ? withoutMarkup(text) : withoutQuotes(text);
        return folded(plain, Math.min(maxChars, MAX_CHARS));
    }

    /** The first leaf of type text/{@code subtype} that is not an attachment, depth first; null if none. */
    private static Part textPart(Part part, String subtype) {
        if (part.isMultipart()) {
            for (var child : part.children()) {
                var found = textPart(child, subtype);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        boolean attached = part.content.disposition() != null
                && part.content.disposition().equalsIgnoreCase("attachment");
        return !attached && part.mediaType().equals("text") && part.mediaSubtype().equals(subtype) ? part : null;
    }

    private static byte[] decoded(byte[] raw, String encoding) {
        return switch (encoding) {
            case "base64" -> fromBase64(raw);
            case "quoted-printable" -> fromQuotedPrintable(raw);
            default -> raw;
        };
    }

    /** The base64 alphabet's bytes only (padding is optional), without a lone last one (the part may be cut short). */
    private static byte[] fromBase64(byte[] raw) {
        var kept = new ByteArrayOutputStream(raw.length);
        for (byte b : raw) {
            if (b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/') {
                kept.write(b);
            }
        }
        var alphabet = kept.toByteArray();
        return Base64.getDecoder().decode(Arrays.copyOf(alphabet, alphabet.length - (alphabet.length % 4 == 1 ? 1 : 0)));
    }

    /** RFC 2045 §6.7: {@code =XX} is a byte, {@code =} at a line's end joins it to the next; anything else stays. */
    private static byte[] fromQuotedPrintable(byte[] raw) {
        var out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '=') {
                out.write(raw[i]);
            } else if (i + 2 < raw.length && raw[i + 1] == '\r' && raw[i + 2] == '\n') {
                i += 2;
            } else if (i + 2 < raw.length && Character.digit(raw[i + 1], 16) >= 0 && Character.digit(raw[i + 2], 16) >= 0) {
                out.write(Character.digit(raw[i + 1], 16) << 4 | Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                out.write('=');
            }
        }
        return out.toByteArray();
    }

    private static Charset charset(Part part) {
        var name = part.charset().orElse("us-ascii").strip();
        try {
            var charset = Charset.forName(name);
            return charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset; // 8-bit text anyway
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Plain text without the lines that quote another message ({@code >}), as mail clients show it. */
    private static String withoutQuotes(String text) {
        var out = new StringBuilder(text.length());
        for (var line : text.split("\n", -1)) {
            if (!line.startsWith(">")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** HTML's text: tags, comments, and the content of head, script and style left out; entities decoded. */
    static String withoutMarkup(String html) {
        var out = new StringBuilder();
        int i = 0;
        int n = html.length();
        while (i < n) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = afterMarkup(html, i);
                if (!INLINE.contains(tagName(html, i + 1, end))) {
                    out.append(' '); // a block (a paragraph, a line break, a cell) parts words
                }
                i = end;
            } else if (c == '&') {
                int semicolon = html.indexOf(';', i, Math.min(n, i + 12)); // bounded: "&&&..." stays linear
                var entity = semicolon > i && semicolon - i <= 10 ? entity(html.substring(i + 1, semicolon)) : null;
                out.append(entity != null ? entity : "&");
                i = entity != null ? semicolon + 1 : i + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Where the markup starting at {@code at} ends: a comment, an element whose content is no text, or a tag. */
    private static int afterMarkup(String html, int at) {
        if (html.startsWith("<!--", at)) {
            int end = html.indexOf("-->", at + 4);
            return end < 0 ? html.length() : end + 3;
        }
        int close = html.indexOf('>', at);
        if (close < 0) {
            return html.length();
        }
        var name = tagName(html, at + 1, close);
        if (name.equals("head") || name.equals("script") || name.equals("style") || name.equals("title")) {
            int end = endTag(html, name, close);
            int endClose = end < 0 ? -1 : html.indexOf('>', end);
            return endClose < 0 ? html.length() : endClose + 1; // unclosed: nothing after it is text
        }
        return close + 1;
    }

    /** Where {@code </name} starts after {@code from} (any case), or -1. */
    private static int endTag(String html, String name, int from) {
        for (int at = html.indexOf("</", from); at >= 0; at = html.indexOf("</", at + 2)) {
            if (html.regionMatches(true, at + 2, name, 0, name.length())) {
                return at;
            }
        }
        return -1;
    }

    /** The name of the tag from {@code from} (after its '<', any '/' skipped), in lower case. */
    private static String tagName(String html, int from, int to) {
        int start = from < to && html.charAt(from) == '/' ? from + 1 : from;
        int end = start;
        while (end < to && Character.isLetterOrDigit(html.charAt(end))) {
            end++;
        }
        return html.substring(start, end).toLowerCase(Locale.ROOT);
    }

    private static String entity(String name) {
        if (name.startsWith("#")) {
            try {
                int code = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(code) && code != 0 ? Character.toString(code) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return ENTITIES.get(name.toLowerCase(Locale.ROOT));
    }

    /** White space and control characters folded into single spaces, trimmed, at most {@code maxChars} characters. */
    private static String folded(String text, int maxChars) {
        var out = new StringBuilder(Math.min(text.length(), maxChars * 2));
        int chars = 0;
        boolean space = false;
        for (int i = 0; i < text.length() && chars < maxChars; ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                chars++;
                space = false;
                if (chars == maxChars) {
                    break;
                }
            }
            out.appendCodePoint(c);
            chars++;
        }
        return out.toString();
    }
}
