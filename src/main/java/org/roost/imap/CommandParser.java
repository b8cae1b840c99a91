package org.roost.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.roost.imap.fetch.FetchParser;
import org.roost.imap.search.SearchParser;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/** Parses one command line (RFC 3501 §9 {@code command}) into a {@link Command}. */
public final class CommandParser {
    private final ImapReader reader;
    private final Path tempDir;

    public CommandParser(ImapReader reader, Path tempDir) {
        this.reader = reader;
        this.tempDir = tempDir;
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
            reader.line();
            reader.startLine();
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

    private Command arguments(String tag, String name) throws IOException, ProtocolViolation, ImapParseException {
        return switch (name) {
            case "CAPABILITY" -> new Command.Capability(tag);
            case "NOOP" -> new Command.Noop(tag);
            case "LOGOUT" -> new Command.Logout(tag);
            case "STARTTLS" -> new Command.StartTls(tag);
            case "LOGIN" -> login(tag);
            case "AUTHENTICATE" -> authenticate(tag);
            case "SELECT" -> new Command.Select(tag, mailboxArgument(), false);
            case "EXAMINE" -> new Command.Select(tag, mailboxArgument(), true);
            case "CREATE" -> new Command.Create(tag, mailboxArgument());
            case "DELETE" -> new Command.Delete(tag, mailboxArgument());
            case "RENAME" -> new Command.Rename(tag, mailboxArgument(), mailboxArgument());
            case "SUBSCRIBE" -> new Command.Subscribe(tag, mailboxArgument(), true);
            case "UNSUBSCRIBE" -> new Command.Subscribe(tag, mailboxArgument(), false);
            case "LIST" -> list(tag, false);
            case "LSUB" -> list(tag, true);
            case "STATUS" -> status(tag);
            case "APPEND" -> append(tag);
            case "CHECK" -> new Command.Check(tag);
            case "CLOSE" -> new Command.Close(tag);
            case "UNSELECT" -> new Command.Unselect(tag);
            case "EXPUNGE" -> new Command.Expunge(tag, Optional.empty());
            case "SEARCH" -> search(tag, false);
            case "FETCH" -> fetch(tag, false);
            case "STORE" -> store(tag, false);
            case "COPY" -> copy(tag, false, false);
            case "MOVE" -> copy(tag, false, true);
            case "UID" -> uid(tag);
            case "IDLE" -> new Command.Idle(tag);
            case "NAMESPACE" -> new Command.Namespace(tag);
            case "ID" -> id(tag);
            default -> throw new ImapParseException("Unknown command " + printable(name));
        };
    }

    private Command uid(String tag) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var name = reader.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "FETCH" -> fetch(tag, true);
            case "SEARCH" -> search(tag, true);
            case "STORE" -> store(tag, true);
            case "COPY" -> copy(tag, true, false);
            case "MOVE" -> copy(tag, true, true);
            case "EXPUNGE" -> {
                reader.space();
                yield new Command.Expunge(tag, Optional.of(sequenceSet()));
            }
            default -> throw new ImapParseException("Unknown UID command " + printable(name));
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

    /** SP mailbox. */
    private String mailboxArgument() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return reader.astringUtf8();
    }

    private Command list(String tag, boolean lsub) throws IOException, ProtocolViolation, ImapParseException {
        var reference = mailboxArgument();
        reader.space();
        int c = reader.peek();
        var pattern = c == '"' || c == '{'
                ? new String(reader.string(), StandardCharsets.UTF_8)
                : reader.chars(Chars::isListChar, "a mailbox pattern");
        return new Command.ListMailboxes(tag, reference, pattern, lsub);
    }

    private Command status(String tag) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = mailboxArgument();
        reader.space();
        reader.expect('(', "'(' before the status items");
        var items = new ArrayList<String>();
        while (true) {
            var item = reader.atom().toUpperCase(Locale.ROOT);
            if (!List.of("MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "SIZE", "HIGHESTMODSEQ").contains(item)) {
                throw new ImapParseException("Unknown status item " + printable(item));
            }
            items.add(item);
            if (reader.peek() == ')') {
                reader.next();
                break;
            }
            reader.space();
        }
        return new Command.Status(tag, mailbox, List.copyOf(items));
    }

    private Command append(String tag) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = mailboxArgument();
        reader.space();
        List<String> flags = List.of();
        if (reader.peek() == '(') {
            flags = flagList();
            reader.space();
        }
        Optional<java.time.ZonedDateTime> date = Optional.empty();
        if (reader.peek() == '"') {
            date = Optional.of(ImapDates.parseDateTime(new String(reader.string(), StandardCharsets.US_ASCII)));
            reader.space();
        }
        if (reader.peek() != '{') {
            throw new ImapParseException("Expected the message as a literal");
        }
        var header = reader.literalHeader();
        var message = MessageLiteral.read(reader, header.size(), tempDir);
        return new Command.Append(tag, mailbox, flags, date, message);
    }

    /** flag-list = "(" [flag *(SP flag)] ")". */
    List<String> flagList() throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the flags");
        var flags = new ArrayList<String>();
        while (reader.peek() != ')') {
            if (!flags.isEmpty()) {
                reader.space();
            }
            flags.add(flag());
        }
        reader.next();
        return List.copyOf(flags);
    }

    /** flag = "\" atom / atom (keywords). */
    private String flag() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() == '\\') {
            reader.next();
            return "\\" + reader.atom();
        }
        return reader.atom();
    }

    private Command search(String tag, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return new SearchParser(reader).parse(tag, uid);
    }

    private Command fetch(String tag, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var set = sequenceSet();
        reader.space();
        return new Command.Fetch(tag, uid, set, new FetchParser(reader).items());
    }

    private Command store(String tag, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var set = sequenceSet();
        reader.space();
        var item = reader.atom().toUpperCase(Locale.ROOT);
        var mode = switch (item.replace(".SILENT", "")) {
            case "FLAGS" -> Command.StoreMode.REPLACE;
            case "+FLAGS" -> Command.StoreMode.ADD;
            case "-FLAGS" -> Command.StoreMode.REMOVE;
            default -> throw new ImapParseException("Expected FLAGS, +FLAGS or -FLAGS");
        };
        reader.space();
        List<String> flags;
        if (reader.peek() == '(') {
            flags = flagList();
        } else {
            var list = new ArrayList<String>();
            list.add(flag());
            while (reader.peek() == ' ') {
                reader.space();
                list.add(flag());
            }
            flags = List.copyOf(list);
        }
        return new Command.Store(tag, uid, set, mode, item.endsWith(".SILENT"), flags);
    }

    private Command copy(String tag, boolean uid, boolean move) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var set = sequenceSet();
        return new Command.Copy(tag, uid, set, mailboxArgument(), move);
    }

    /** RFC 2971: "ID" SP ( "(" string SP nstring *(SP string SP nstring) ")" / "NIL" ). */
    private Command id(String tag) throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var params = new ArrayList<String>();
        if (reader.peek() == '(') {
            reader.next();
            while (reader.peek() != ')') {
                if (!params.isEmpty()) {
                    reader.space();
                }
                params.add(new String(reader.string(), StandardCharsets.UTF_8));
                reader.space();
                var value = reader.nstring();
                params.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
                if (params.size() > 60) {
                    throw new ImapParseException("Too many ID parameters");
                }
            }
            reader.next();
        } else {
            var nil = reader.atom();
            if (!nil.equalsIgnoreCase("NIL")) {
                throw new ImapParseException("Expected a parameter list or NIL");
            }
        }
        return new Command.Id(tag, java.util.Collections.unmodifiableList(params));
    }

    SequenceSet sequenceSet() throws IOException, ProtocolViolation, ImapParseException {
        return sequenceSet(reader);
    }

    public static SequenceSet sequenceSet(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        var text = reader.chars(c -> Chars.isDigit(c) || c == ':' || c == ',' || c == '*', "a sequence set");
        try {
            return SequenceSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
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

    static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
