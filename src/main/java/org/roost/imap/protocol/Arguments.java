package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.roost.mail.FlagSet;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;
import org.roost.net.ProtocolViolation;

/**
 * The arguments of one command line as the grammar rules read them: the productions several
 * commands share (RFC 3501 §9: {@code mailbox}, {@code sequence-set}, {@code flag-list}, ...) over
 * the {@link ImapReader}, and the {@link ParserSettings} that bound them.
 */
public final class Arguments {
    private final ImapReader reader;
    private final ParserSettings settings;
    private MailboxNaming naming = MailboxNaming.MODIFIED_UTF7;

    public Arguments(ImapReader reader, ParserSettings settings) {
        this.reader = reader;
        this.settings = settings;
    }

    /** How mailbox arguments are decoded from the next command on. */
    void naming(MailboxNaming naming) {
        this.naming = naming;
    }

    public ImapReader reader() {
        return reader;
    }

    public ParserSettings settings() {
        return settings;
    }

    public void space() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
    }

    /** SP mailbox: a command's mailbox argument, decoded. */
    public MailboxName mailboxArgument() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return mailbox();
    }

    /** mailbox, decoded. */
    public MailboxName mailbox() throws IOException, ProtocolViolation, ImapParseException {
        return MailboxName.of(astring(), naming);
    }

    /**
     * astring as text (UTF-8): a user name, a mailbox name as sent, a LIST reference. Where strings are UTF-8
     * (IMAP4rev2, UTF8=ACCEPT), one that is not well-formed UTF-8 is BAD (RFC 6855 §3); before, its bytes are
     * taken as they come.
     */
    public String astring() throws IOException, ProtocolViolation, ImapParseException {
        var bytes = reader.astring();
        if (naming != MailboxNaming.UTF8) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImapParseException("Invalid UTF-8 in a string");
        }
    }

    /** sequence-set (also a UID set), or {@code $} (RFC 5182). */
    public SequenceSet sequenceSet() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() == '$') {
            reader.next();
            return SequenceSet.saved();
        }
        var text = reader.chars(c -> Chars.isDigit(c) || c == ':' || c == ',' || c == '*', "a sequence set");
        try {
            return SequenceSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
    }

    /**
     * mod-sequence-value (RFC 7162 §7: 1 to 2^63-1), or mod-sequence-valzer when {@code zero} is allowed.
     * Digits past 19 are refused before they are converted, so a huge value costs nothing.
     */
    public long modseq(boolean zero) throws IOException, ProtocolViolation, ImapParseException {
        var digits = reader.chars(Chars::isDigit, "a mod-sequence");
        long value;
        try {
            value = digits.length() > 19 ? -1 : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            value = -1; // beyond 2^63-1
        }
        if (value < 0 || value == 0 && !zero) {
            throw new ImapParseException("Invalid mod-sequence " + printable(digits));
        }
        return value;
    }

    /** A sequence-set without {@code *} or {@code $} (RFC 7162 §7 {@code known-uids}, {@code known-sequence-set}). */
    public SequenceSet sequenceSetWithoutStar() throws IOException, ProtocolViolation, ImapParseException {
        var set = sequenceSet();
        if (set.usesStar() || set.isSaved()) {
            throw new ImapParseException("'*' and '$' are not allowed here");
        }
        return set;
    }

    /** flag-list = "(" [flag *(SP flag)] ")". */
    public FlagSet flagList() throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the flags");
        var names = new ArrayList<String>();
        while (reader.peek() != ')') {
            if (!names.isEmpty()) {
                reader.space();
            }
            names.add(flag());
        }
        reader.next();
        return flags(names);
    }

    /** A flag-list, or flags separated by spaces without parentheses (STORE allows both). */
    public FlagSet flagListOrFlags() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() == '(') {
            return flagList();
        }
        var names = new ArrayList<String>();
        names.add(flag());
        while (reader.peek() == ' ') {
            reader.space();
            names.add(flag());
        }
        return flags(names);
    }

    /** flag = "\" atom / atom (keywords). */
    private String flag() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() == '\\') {
            reader.next();
            return "\\" + reader.atom();
        }
        return reader.atom();
    }

    /** System flags and keywords (RFC 3501 §2.3.2); {@code \Recent} is accepted and ignored, as clients cannot set it. */
    private static FlagSet flags(List<String> names) throws ImapParseException {
        var system = EnumSet.noneOf(SystemFlag.class);
        var keywords = new LinkedHashSet<String>();
        for (var name : names) {
            if (!name.startsWith("\\")) {
                keywords.add(name);
            } else if (!name.equalsIgnoreCase("\\Recent")) {
                system.add(SystemFlag.fromImapName(name)
                        .orElseThrow(() -> new ImapParseException("Invalid system flag " + name)));
            }
        }
        return new FlagSet(system, keywords);
    }

    /** A string (quoted or literal) as UTF-8 text. */
    public String string() throws IOException, ProtocolViolation, ImapParseException {
        return new String(reader.string(), StandardCharsets.UTF_8);
    }

    /**
     * An IMAP URL argument ({@code url-full}, {@code url-rump}, CATENATE's URL: an astring), as text; a literal
     * longer than {@link ParserSettings#maxUrlLength()} is refused before it is sent ({@code NO [TOOBIG]}).
     */
    public String url() throws IOException, ProtocolViolation, ImapParseException {
        if (reader.peek() != '{') {
            return astring();
        }
        var header = reader.literalHeader(settings.maxUrlLength());
        return new String(reader.readExactly((int) header.size()), StandardCharsets.UTF_8);
    }

    /** Refuses the URL after {@code read} of one command when {@link ParserSettings#maxUrls()} were read. */
    public void countUrl(int read) throws CommandRefusal {
        if (read >= settings.maxUrls()) {
            throw new CommandRefusal("LIMIT", "At most " + settings.maxUrls() + " URLs in one command.", false);
        }
    }

    /** {@code mechanism} (RFC 4467 §9): {@code 1*(ALPHA / DIGIT / "-" / ".")}, upper-cased. */
    public String mechanism() throws IOException, ProtocolViolation, ImapParseException {
        var name = reader.chars(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'),
                "a URLAUTH mechanism");
        return name.toUpperCase(Locale.ROOT);
    }

    /** The client's words, shortened for an error message. */
    public static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
