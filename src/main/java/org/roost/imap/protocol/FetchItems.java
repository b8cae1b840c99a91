package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.roost.imap.protocol.FetchItem.SectionText;
import org.roost.net.ProtocolViolation;

/**
 * The fetch attributes of FETCH and UID FETCH (RFC 3501 §6.4.5, §9 {@code fetch-att}), macros
 * expanded; a {@code HEADER.FIELDS} list holds at most {@link ParserSettings#maxFetchHeaderFields()} names.
 */
final class FetchItems {
    private final ImapReader reader;
    private final int maxHeaderFields;

    FetchItems(Arguments in) {
        this.reader = in.reader();
        this.maxHeaderFields = in.settings().maxFetchHeaderFields();
    }

    List<FetchItem> items() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() != '(') {
            var name = name();
            return switch (name) {
                case "ALL" -> List.of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size(),
                        new FetchItem.Envelope());
                case "FAST" -> List.of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size());
                case "FULL" -> List.of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size(),
                        new FetchItem.Envelope(), new FetchItem.Structure(false));
                default -> List.of(item(name));
            };
        }
        reader.next();
        var items = new ArrayList<FetchItem>();
        while (true) {
            items.add(item(name()));
            if (reader.peek() == ')') {
                reader.next();
                return List.copyOf(items);
            }
            reader.space();
            if (reader.peek() == '(' && items.getLast() instanceof FetchItem.Preview preview) {
                items.set(items.size() - 1, previewModifiers(preview.form()));
                if (reader.peek() == ')') {
                    reader.next();
                    return List.copyOf(items);
                }
                reader.space();
            }
        }
    }

    /**
     * RFC 8970 §6: {@code "(" preview-mod *(SP preview-mod) ")"}, {@code preview-mod = "LAZY"}; and the drafts'
     * algorithm before it (Dovecot 2.3's PREVIEW=FUZZY and SNIPPET=FUZZY): {@code "FUZZY"} and {@code "LAZY=FUZZY"},
     * which turn an RFC 8970 PREVIEW into the draft's answer {@code PREVIEW (FUZZY ...)}.
     */
    private FetchItem previewModifiers(FetchItem.PreviewForm asked) throws IOException, ProtocolViolation,
            ImapParseException {
        reader.expect('(', "'(' before the preview modifiers");
        boolean lazy = false;
        var form = asked;
        while (true) {
            var modifier = reader.atom().toUpperCase(Locale.ROOT);
            switch (modifier) {
                case "LAZY" -> lazy = true;
                case "FUZZY" -> form = fuzzy(asked);
                case "LAZY=FUZZY" -> {
                    lazy = true;
                    form = fuzzy(asked);
                }
                default -> throw new ImapParseException("Unknown preview modifier " + Arguments.printable(modifier));
            }
            if (reader.peek() == ')') {
                reader.next();
                return new FetchItem.Preview(lazy, form);
            }
            reader.space();
        }
    }

    /** The form that names the FUZZY algorithm: SNIPPET always does, PREVIEW does once FUZZY is asked. */
    private static FetchItem.PreviewForm fuzzy(FetchItem.PreviewForm asked) {
        return asked == FetchItem.PreviewForm.SNIPPET ? asked : FetchItem.PreviewForm.FUZZY_PREVIEW;
    }

    private String name() throws IOException, ProtocolViolation, ImapParseException {
        return reader.chars(c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '.', "a fetch attribute")
                .toUpperCase(Locale.ROOT);
    }

    private FetchItem item(String name) throws IOException, ProtocolViolation, ImapParseException {
        return switch (name) {
            case "ENVELOPE" -> new FetchItem.Envelope();
            case "FLAGS" -> new FetchItem.Flags();
            case "INTERNALDATE" -> new FetchItem.InternalDate();
            case "RFC822.SIZE" -> new FetchItem.Rfc822Size();
            case "UID" -> new FetchItem.Uid();
            case "MODSEQ" -> new FetchItem.Modseq();
            case "EMAILID" -> new FetchItem.EmailId();
            case "THREADID" -> new FetchItem.ThreadId();
            case "SAVEDATE" -> new FetchItem.SaveDate();
            case "PREVIEW" -> new FetchItem.Preview(false, FetchItem.PreviewForm.PREVIEW);
            case "SNIPPET" -> new FetchItem.Preview(false, FetchItem.PreviewForm.SNIPPET);
            case "BODYSTRUCTURE" -> new FetchItem.Structure(true);
            case "RFC822" -> legacy(false, SectionText.NONE, "RFC822");
            case "RFC822.HEADER" -> legacy(true, SectionText.HEADER, "RFC822.HEADER");
            case "RFC822.TEXT" -> legacy(false, SectionText.TEXT, "RFC822.TEXT");
            case "BODY" -> reader.peek() == '[' ? section(false) : new FetchItem.Structure(false);
            case "BODY.PEEK" -> section(true);
            case "BINARY" -> binary(false);
            case "BINARY.PEEK" -> binary(true);
            case "BINARY.SIZE" -> new FetchItem.BinarySize(sectionBinary());
            default -> throw new ImapParseException("Unknown fetch attribute " + name);
        };
    }

    private static FetchItem legacy(boolean peek, SectionText text, String name) {
        return new FetchItem.Section(peek, new int[0], text, List.of(), FetchItem.Section.NO_PARTIAL,
                FetchItem.Section.NO_PARTIAL, name);
    }

    private FetchItem section(boolean peek) throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('[', "'[' after BODY");
        var parts = new ArrayList<Integer>();
        var text = SectionText.NONE;
        List<String> fields = List.of();
        if (reader.peek() != ']') {
            var spec = name();
            var tokens = spec.split("\\.", -1);
            int i = 0;
            while (i < tokens.length && !tokens[i].isEmpty() && tokens[i].chars().allMatch(Character::isDigit)) {
                parts.add(partNumber(tokens[i++]));
            }
            var label = String.join(".", Arrays.copyOfRange(tokens, i, tokens.length));
            text = sectionText(label, !parts.isEmpty());
            if (text == SectionText.HEADER_FIELDS || text == SectionText.HEADER_FIELDS_NOT) {
                reader.space();
                fields = headerList();
            }
        }
        reader.expect(']', "']' after the section");
        var partial = partial();
        return new FetchItem.Section(peek, parts.stream().mapToInt(Integer::intValue).toArray(), text, fields,
                partial[0], partial[1], null);
    }

    /** RFC 3516 §7: {@code "BINARY" [".PEEK"] section-binary [partial]}. */
    private FetchItem binary(boolean peek) throws IOException, ProtocolViolation, ImapParseException {
        var part = sectionBinary();
        var partial = partial();
        return new FetchItem.Binary(peek, part, partial[0], partial[1]);
    }

    /** {@code section-binary = "[" [section-part] "]"}, section-part being {@code nz-number *("." nz-number)}. */
    private int[] sectionBinary() throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('[', "'[' after BINARY");
        int[] part = new int[0];
        if (reader.peek() != ']') {
            var tokens = reader.chars(c -> Chars.isDigit(c) || c == '.', "a section part").split("\\.", -1);
            part = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                part[i] = partNumber(tokens[i]);
            }
        }
        reader.expect(']', "']' after the section part");
        return part;
    }

    /**
     * {@code ["<" number64 "." nz-number64 ">"]} (RFC 9051 §9): origin and count, both
     * {@link FetchItem.Section#NO_PARTIAL} when absent.
     */
    private long[] partial() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() != '<') {
            return new long[] {FetchItem.Section.NO_PARTIAL, FetchItem.Section.NO_PARTIAL};
        }
        reader.next();
        long origin = reader.number64();
        reader.expect('.', "'.' in the partial range");
        long count = reader.number64();
        if (count == 0) {
            throw new ImapParseException("Partial length must be positive");
        }
        reader.expect('>', "'>' after the partial range");
        return new long[] {origin, count};
    }

    private int partNumber(String digits) throws ImapParseException {
        if (digits.isEmpty() || digits.length() > 9 || digits.startsWith("0")) {
            throw new ImapParseException("Invalid section part number " + digits);
        }
        return Integer.parseInt(digits);
    }

    private static SectionText sectionText(String label, boolean hasPart) throws ImapParseException {
        var text = switch (label) {
            case "" -> SectionText.NONE;
            case "HEADER" -> SectionText.HEADER;
            case "HEADER.FIELDS" -> SectionText.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> SectionText.HEADER_FIELDS_NOT;
            case "TEXT" -> SectionText.TEXT;
            case "MIME" -> SectionText.MIME;
            default -> throw new ImapParseException("Invalid section " + label);
        };
        if (text == SectionText.MIME && !hasPart) {
            throw new ImapParseException("MIME needs a part number");
        }
        if (hasPart && label.isEmpty()) {
            return SectionText.NONE;
        }
        return text;
    }

    private List<String> headerList() throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the header field names");
        var names = new ArrayList<String>();
        while (true) {
            names.add(new String(reader.astring(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT));
            if (names.size() > maxHeaderFields) {
                throw new ImapParseException("Too many header field names");
            }
            if (reader.peek() == ')') {
                reader.next();
                return List.copyOf(names);
            }
            reader.space();
        }
    }
}
