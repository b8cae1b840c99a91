package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/**
 * LIST, or LSUB when {@code subscribedOnly} (RFC 3501 §6.3.8, §6.3.9), LIST with the extended syntax of
 * RFC 5258 §6: {@code "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]}, with
 * the SPECIAL-USE options of RFC 6154 and the STATUS return option of RFC 5819. Reference and patterns
 * stay as sent: they are matched against the wire (modified UTF-7) names. An option Roost does not know
 * is a BAD (RFC 5258 §3), as is RECURSIVEMATCH without SUBSCRIBED.
 */
public record ListMailboxes(String tag, String reference, List<String> patterns, boolean subscribedOnly,
        ListOptions options) implements Command {
    public static final Syntax<ListMailboxes> LIST = (tag, in) -> parseList(tag, in);
    public static final Syntax<ListMailboxes> LSUB = (tag, in) -> parseLsub(tag, in);

    public ListMailboxes {
        patterns = List.copyOf(patterns);
    }

    @Override
    public String name() {
        return subscribedOnly ? "LSUB" : "LIST";
    }

    private static ListMailboxes parseLsub(String tag, Arguments in)
            throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reference = in.astring();
        in.space();
        return new ListMailboxes(tag, reference, List.of(pattern(in)), true, ListOptions.BASIC);
    }

    private static ListMailboxes parseList(String tag, Arguments in)
            throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        in.space();
        boolean extended = false;
        var selection = EnumSet.noneOf(ListOptions.Selection.class);
        if (reader.peek() == '(') {
            extended = true;
            for (var option : options(reader)) {
                selection.add(switch (option) {
                    case "SUBSCRIBED" -> ListOptions.Selection.SUBSCRIBED;
                    case "REMOTE" -> ListOptions.Selection.REMOTE;
                    case "RECURSIVEMATCH" -> ListOptions.Selection.RECURSIVEMATCH;
                    case "SPECIAL-USE" -> ListOptions.Selection.SPECIAL_USE;
                    default -> throw unknown("selection", option);
                });
            }
            if (selection.contains(ListOptions.Selection.RECURSIVEMATCH)
                    && !selection.contains(ListOptions.Selection.SUBSCRIBED)) {
                throw new ImapParseException("RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 section 3.1)");
            }
            in.space();
        }
        var reference = in.astring();
        in.space();
        var patterns = new ArrayList<String>();
        if (reader.peek() == '(') {
            extended = true;
            reader.next();
            patterns.add(pattern(in));
            while (reader.peek() == ' ') {
                reader.next();
                patterns.add(pattern(in));
            }
            reader.expect(')', "')' after the mailbox patterns");
        } else {
            patterns.add(pattern(in));
        }
        var returns = EnumSet.noneOf(ListOptions.Return.class);
        var status = new ArrayList<StatusItem>();
        if (reader.peek() == ' ') {
            reader.next();
            extended = true;
            returnOptions(reader, returns, status);
        }
        return new ListMailboxes(tag, reference, patterns, false,
                new ListOptions(extended, selection, returns, status));
    }

    /** {@code list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"}. */
    private static void returnOptions(ImapReader reader, EnumSet<ListOptions.Return> returns, List<StatusItem> status)
            throws IOException, ProtocolViolation, ImapParseException {
        if (!reader.atom().equalsIgnoreCase("RETURN")) {
            throw new ImapParseException("Expected RETURN after the mailbox pattern");
        }
        reader.space();
        reader.expect('(', "'(' before the return options");
        while (reader.peek() != ')') {
            var option = reader.atom().toUpperCase(Locale.ROOT);
            switch (option) {
                case "SUBSCRIBED" -> returns.add(ListOptions.Return.SUBSCRIBED);
                case "CHILDREN" -> returns.add(ListOptions.Return.CHILDREN);
                case "SPECIAL-USE" -> returns.add(ListOptions.Return.SPECIAL_USE);
                case "STATUS" -> {
                    reader.space();
                    StatusItem.list(reader).stream().filter(item -> !status.contains(item)).forEach(status::add);
                }
                default -> throw unknown("return", option);
            }
            if (reader.peek() == ' ') {
                reader.next();
            } else if (reader.peek() != ')') {
                throw new ImapParseException("Expected ' ' or ')' after a return option");
            }
        }
        reader.next();
    }

    /** {@code "(" [option *(SP option)] ")"}, upper-cased. */
    private static List<String> options(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the selection options");
        var options = new ArrayList<String>();
        while (reader.peek() != ')') {
            options.add(reader.atom().toUpperCase(Locale.ROOT));
            if (reader.peek() == ' ') {
                reader.next();
            } else if (reader.peek() != ')') {
                throw new ImapParseException("Expected ' ' or ')' after a selection option");
            }
        }
        reader.next();
        return options;
    }

    /** {@code list-mailbox = 1*list-char / string}. */
    private static String pattern(Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        int c = reader.peek();
        return c == '"' || c == '{' ? in.string() : reader.chars(Chars::isListChar, "a mailbox pattern");
    }

    private static ImapParseException unknown(String kind, String option) {
        return new ImapParseException("Unknown LIST " + kind + " option " + Arguments.printable(option));
    }
}
