package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.roost.net.ProtocolViolation;

/**
 * GETMETADATA and SETMETADATA (RFC 5464 §4.2, §4.3, §5). The mailbox {@code ""} names the server. Entry names
 * are checked as §3.2 says (BAD otherwise) and kept in lower case, as they are case-insensitive.
 */
public sealed interface Metadata extends Command {

    /** The mailbox whose entries are meant, {@code ""} for the server's. */
    MailboxName mailbox();

    /** Whether the server's entries are meant rather than a mailbox's. */
    default boolean server() {
        return mailbox().wire().isEmpty();
    }

    /**
     * What bounds the commands: values of at most {@code maxValueSize} octets (larger: {@code NO [METADATA
     * MAXSIZE n]}), at most {@code maxEntries} entries in one command, names of at most {@code maxNameLength}.
     */
    record Rules(long maxValueSize, int maxEntries, int maxNameLength) {}

    /** DEPTH (§4.2.2): how far below each named entry GETMETADATA looks. */
    enum Depth { ZERO, ONE, INFINITY }

    /**
     * GETMETADATA: {@code entries} with those below them to {@code depth}; values longer than {@code maxSize}
     * (-1: no MAXSIZE) are left out (§4.2.1).
     */
    record GetMetadata(String tag, MailboxName mailbox, long maxSize, Depth depth, List<String> entries)
            implements Metadata {

        /**
         * {@code "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries}; the options are also taken after
         * the mailbox and the entries also as several without parentheses, as the RFC's own examples send them.
         */
        public static Syntax<GetMetadata> syntax(Rules rules) {
            return (tag, in) -> {
                in.space();
                var reader = in.reader();
                var options = reader.peek() == '(' ? options(in, true) : null;
                if (options != null) {
                    in.space();
                }
                var mailbox = in.mailbox();
                in.space();
                List<String> entries;
                if (reader.peek() == '(') {
                    reader.next();
                    if (options == null && !startsEntry(reader.peek())) {
                        options = options(in, false);
                        in.space();
                        entries = entrySpecifier(in, rules);
                    } else {
                        entries = entryList(in, rules);
                    }
                } else {
                    entries = bareEntries(in, rules);
                }
                var given = options != null ? options : new Options(-1, Depth.ZERO);
                return new GetMetadata(tag, mailbox, given.maxSize(), given.depth(), entries);
            };
        }

        @Override
        public String name() {
            return "GETMETADATA";
        }
    }

    /** SETMETADATA: each entry to its value, or removed where the value is null (NIL). */
    record SetMetadata(String tag, MailboxName mailbox, Map<String, byte[]> entries) implements Metadata {

        /** {@code "SETMETADATA" SP mailbox SP entry-values}, {@code value = nstring / literal8}. */
        public static Syntax<SetMetadata> syntax(Rules rules) {
            return (tag, in) -> {
                var mailbox = in.mailboxArgument();
                in.space();
                var reader = in.reader();
                reader.expect('(', "'(' before the entries and values");
                var entries = new LinkedHashMap<String, byte[]>();
                do {
                    if (!entries.isEmpty()) {
                        in.space();
                    }
                    var entry = entry(in, rules, true);
                    in.space();
                    var value = value(in, rules);
                    entries.remove(entry); // the last value given counts, in its place
                    entries.put(entry, value);
                    if (entries.size() > rules.maxEntries()) {
                        throw new CommandRefusal("METADATA TOOMANY", "SETMETADATA failed", false);
                    }
                } while (reader.peek() == ' ');
                reader.expect(')', "')' after the entries and values");
                return new SetMetadata(tag, mailbox, Collections.unmodifiableMap(entries));
            };
        }

        @Override
        public String name() {
            return "SETMETADATA";
        }
    }

    /** The GETMETADATA options. */
    record Options(long maxSize, Depth depth) {}

    /** {@code getmetadata-options}; {@code open}: the '(' is still to be read. */
    private static Options options(Arguments in, boolean open) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        if (open) {
            reader.expect('(', "'(' before the options");
        }
        long maxSize = -1;
        Depth depth = null;
        do {
            if (reader.peek() == ' ') {
                reader.next();
            }
            var label = reader.atom().toUpperCase(Locale.ROOT);
            in.space();
            switch (label) {
                case "MAXSIZE" -> {
                    if (maxSize >= 0) {
                        throw new ImapParseException("MAXSIZE given twice");
                    }
                    maxSize = reader.number();
                }
                case "DEPTH" -> {
                    if (depth != null) {
                        throw new ImapParseException("DEPTH given twice");
                    }
                    depth = depth(reader.atom());
                }
                default -> throw new ImapParseException("Unknown GETMETADATA option " + Arguments.printable(label));
            }
        } while (reader.peek() == ' ');
        reader.expect(')', "')' after the options");
        return new Options(maxSize, depth == null ? Depth.ZERO : depth);
    }

    private static Depth depth(String word) throws ImapParseException {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "0" -> Depth.ZERO;
            case "1" -> Depth.ONE;
            case "infinity" -> Depth.INFINITY;
            default -> throw new ImapParseException("DEPTH is 0, 1 or infinity");
        };
    }

    private static boolean startsEntry(int c) {
        return c == '/' || c == '"' || c == '{';
    }

    /** {@code entries}: one entry, or a parenthesized list. */
    private static List<String> entrySpecifier(Arguments in, Rules rules) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        if (reader.peek() == '(') {
            reader.next();
            return entryList(in, rules);
        }
        return List.of(entry(in, rules, false));
    }

    /** {@code entry *(SP entry) ")"}, the '(' read. */
    private static List<String> entryList(Arguments in, Rules rules)
            throws IOException, ProtocolViolation, ImapParseException {
        var list = bareEntries(in, rules);
        in.reader().expect(')', "')' after the entries");
        return list;
    }

    /** {@code entry *(SP entry)}. */
    private static List<String> bareEntries(Arguments in, Rules rules)
            throws IOException, ProtocolViolation, ImapParseException {
        var list = new ArrayList<String>();
        do {
            if (!list.isEmpty()) {
                in.space();
            }
            if (list.size() == rules.maxEntries()) {
                throw new ImapParseException("Too many entries (at most " + rules.maxEntries() + ")");
            }
            list.add(entry(in, rules, false));
        } while (in.reader().peek() == ' ');
        return List.copyOf(list);
    }

    /**
     * An entry name (§3.2), in lower case. {@code toSet}: a name a value is given to, which has at least two
     * components (four under {@code /shared/vendor/} and {@code /private/vendor/}); GETMETADATA may also name
     * {@code /private} and {@code /shared} themselves, to ask for what lies below.
     */
    private static String entry(Arguments in, Rules rules, boolean toSet)
            throws IOException, ProtocolViolation, ImapParseException {
        var raw = in.reader().astring();
        if (raw.length > rules.maxNameLength()) {
            throw new ImapParseException("Entry name longer than " + rules.maxNameLength() + " octets");
        }
        var name = new String(raw, StandardCharsets.ISO_8859_1);
        var problem = EntryNames.problem(name, toSet);
        if (problem != null) {
            throw new ImapParseException("Invalid entry name: " + problem);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** {@code value = nstring / literal8}, at most {@link Rules#maxValueSize()} octets. */
    private static byte[] value(Arguments in, Rules rules) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        byte[] value;
        switch (reader.peek()) {
            case '{', '~' -> {
                if (reader.peek() == '~') {
                    reader.next();
                }
                var header = reader.refusableLiteralHeader(rules.maxValueSize());
                if (header.size() > rules.maxValueSize()) {
                    throw tooLarge(rules, header.synchronizing());
                }
                value = reader.readExactly((int) header.size());
            }
            default -> value = reader.nstring();
        }
        if (value != null && value.length > rules.maxValueSize()) {
            throw tooLarge(rules, false);
        }
        return value;
    }

    private static CommandRefusal tooLarge(Rules rules, boolean lineEnded) {
        return new CommandRefusal("METADATA MAXSIZE " + rules.maxValueSize(), "SETMETADATA failed: value too large",
                lineEnded);
    }
}
