package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.roost.net.ProtocolViolation;

/**
 * URLFETCH (RFC 4467 §7, §9; RFC 5524 §5): {@code "URLFETCH" 1*(SP url-fetch-arg)}, at most
 * {@link ParserSettings#maxUrls()}; {@code url-fetch-arg = url-full / "(" url-full *(SP url-fetch-param) ")"}.
 */
public record UrlFetch(String tag, List<Request> requests) implements Command {
    public static final Syntax<UrlFetch> SYNTAX = UrlFetch::parse;

    /** RFC 5524 §3.1's metadata items, in the order the response gives them. */
    public enum Item { BODYPARTSTRUCTURE, BODY, BINARY }

    /**
     * One URL and the metadata items asked for it; none is RFC 4467's URLFETCH (RFC 5524 §3: a URL sent
     * unenclosed, or enclosed without parameters, is answered as [URLAUTH] says).
     */
    public record Request(ImapUrl url, Set<Item> items) {
        public Request {
            items = items.isEmpty() ? Set.of() : EnumSet.copyOf(items);
        }

        public Request(ImapUrl url) {
            this(url, Set.of());
        }

        public boolean extended() {
            return !items.isEmpty();
        }
    }

    public UrlFetch {
        requests = List.copyOf(requests);
    }

    @Override
    public String name() {
        return "URLFETCH";
    }

    private static UrlFetch parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var requests = new ArrayList<Request>();
        do {
            in.space();
            in.countUrl(requests.size());
            requests.add(in.reader().peek() == '(' ? extended(in) : new Request(url(in)));
        } while (in.reader().peek() == ' ');
        return new UrlFetch(tag, requests);
    }

    private static ImapUrl url(Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        return ImapUrl.parse(in.url(), in.settings());
    }

    /** RFC 5524 §3.1: each item at most once, never both BODY and BINARY; any other parameter is unknown. */
    private static Request extended(Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        reader.next();
        var url = url(in);
        var items = EnumSet.noneOf(Item.class);
        while (reader.peek() == ' ') {
            reader.space();
            var name = reader.atom().toUpperCase(Locale.ROOT);
            var item = switch (name) {
                case "BODYPARTSTRUCTURE" -> Item.BODYPARTSTRUCTURE;
                case "BODY" -> Item.BODY;
                case "BINARY" -> Item.BINARY;
                default -> throw new ImapParseException("Unknown URLFETCH parameter " + Arguments.printable(name));
            };
            if (!items.add(item)) {
                throw new ImapParseException("URLFETCH parameter " + name + " given twice");
            }
        }
        if (items.containsAll(Set.of(Item.BODY, Item.BINARY))) {
            throw new ImapParseException("URLFETCH takes BODY or BINARY, not both");
        }
        reader.expect(')', "')' after the URLFETCH parameters");
        return new Request(url, items);
    }
}
