package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.roost.mail.ObjectIds;
import org.roost.mail.SystemFlag;
import org.roost.net.ProtocolViolation;

/**
 * The arguments of SEARCH and UID SEARCH (RFC 3501 §6.4.4, §9 {@code search}): an optional
 * charset and a tree of search keys, nested at most {@link ParserSettings#maxSearchDepth()} deep.
 */
final class SearchParser {
    private final Arguments in;
    private final ImapReader reader;
    private final int maxDepth;
    /** The range of the PARTIAL return option of the command being read (RFC 9394), or null. */
    private PartialRange partial;
    /** The fetch attributes of its UPDATE return option (RFC 5465 §7), empty when none. */
    private List<FetchItem> updateItems = List.of();

    SearchParser(Arguments in) {
        this.in = in;
        this.reader = in.reader();
        this.maxDepth = in.settings().maxSearchDepth();
    }

    Search parse(String tag, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        String charset = "US-ASCII";
        Set<Search.ReturnOption> returns = null;
        partial = null;
        updateItems = List.of();
        var keys = new ArrayList<SearchKey>();
        int c = reader.peek();
        if (c == '(' || Character.isDigit(c) || c == '*' || c == '$') {
            keys.add(key(0));
        } else {
            var name = reader.atom().toUpperCase(Locale.ROOT);
            if (name.equals("RETURN")) {
                returns = returnOptions();
                reader.space();
                c = reader.peek();
                name = c == '(' || Character.isDigit(c) || c == '*' || c == '$' ? null
                        : reader.atom().toUpperCase(Locale.ROOT);
            }
            if (name == null) {
                keys.add(key(0));
            } else
            if (name.equals("CHARSET")) {
                reader.space();
                charset = charset();
                reader.space();
                keys.add(key(0));
            } else {
                keys.add(named(name, 0));
            }
        }
        return new Search(tag, uid, returns, partial, updateItems, charset, rest(keys));
    }

    /** PARTIAL's range of the return options read last, or null. */
    PartialRange partial() {
        return partial;
    }

    /** UPDATE's fetch attributes of the return options read last (RFC 5465 §7), empty when none. */
    List<FetchItem> updateItems() {
        return updateItems;
    }

    /** A charset name (RFC 5256 §5 {@code charset = atom / quoted}), in upper case. */
    String charset() throws IOException, ProtocolViolation, ImapParseException {
        return new String(reader.astring(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    /** {@code search-key *(SP search-key)}: one key, or all of them (SORT's and THREAD's, RFC 5256 §5). */
    SearchKey keys() throws IOException, ProtocolViolation, ImapParseException {
        var keys = new ArrayList<SearchKey>();
        keys.add(key(0));
        return rest(keys);
    }

    /** The keys after those read, all of them as one. */
    private SearchKey rest(List<SearchKey> keys) throws IOException, ProtocolViolation, ImapParseException {
        while (reader.peek() == ' ') {
            reader.space();
            keys.add(key(0));
        }
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(List.copyOf(keys));
    }

    /**
     * {@code "(" [search-return-opt *(SP search-return-opt)] ")"}; an empty list means ALL (RFC 4731 §3.1),
     * SAVE is RFC 5182's, PARTIAL (with its range) RFC 9394's, which does not go with ALL (§3.1), CONTEXT and
     * UPDATE RFC 5267's (§4.2, §4.3), UPDATE's fetch attributes RFC 5465's (§7).
     */
    Set<Search.ReturnOption> returnOptions() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        reader.expect('(', "'(' before the return options");
        var options = EnumSet.noneOf(Search.ReturnOption.class);
        boolean spaceRead = false;
        while (reader.peek() != ')') {
            if (!options.isEmpty() && !spaceRead) {
                reader.space();
            }
            spaceRead = false;
            var name = reader.atom().toUpperCase(Locale.ROOT);
            Search.ReturnOption option;
            try {
                option = Search.ReturnOption.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new ImapParseException("Unknown return option " + Arguments.printable(name));
            }
            if (!options.add(option)) {
                throw new ImapParseException("Return option " + name + " given twice");
            }
            if (option == Search.ReturnOption.PARTIAL) {
                reader.space();
                partial = PartialRange.parse(reader);
            }
            if (option == Search.ReturnOption.UPDATE && reader.peek() == ' ') {
                reader.space();
                spaceRead = true;
                if (reader.peek() == '(') { // RFC 5465 §7: what to FETCH of new messages the context gains
                    updateItems = new FetchItems(in).items();
                    spaceRead = false;
                }
            }
        }
        reader.next();
        if (options.contains(Search.ReturnOption.PARTIAL) && options.contains(Search.ReturnOption.ALL)) {
            throw new ImapParseException("PARTIAL and ALL do not go together");
        }
        // RETURN () and a RETURN that only asks for updates answer ALL (RFC 4731 §3.1, RFC 5267 §4.3); RELEVANCY
        // alone too, as its scores go with ALL's messages (RFC 6203 §3)
        if (options.stream().allMatch(o -> o == Search.ReturnOption.CONTEXT || o == Search.ReturnOption.UPDATE
                || o == Search.ReturnOption.RELEVANCY)) {
            options.add(Search.ReturnOption.ALL);
        }
        return options;
    }

    private SearchKey key(int depth) throws IOException, ProtocolViolation, ImapParseException {
        if (depth > maxDepth) {
            throw new ImapParseException("Search keys nested too deeply");
        }
        int c = reader.peek();
        if (c == '(') {
            reader.next();
            var keys = new ArrayList<SearchKey>();
            keys.add(key(depth + 1));
            while (reader.peek() == ' ') {
                reader.space();
                keys.add(key(depth + 1));
            }
            reader.expect(')', "')' after the search keys");
            return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(List.copyOf(keys));
        }
        if (Character.isDigit(c) || c == '*' || c == '$') {
            return new SearchKey.Sequence(in.sequenceSet());
        }
        return named(reader.atom().toUpperCase(Locale.ROOT), depth);
    }

    private SearchKey named(String name, int depth) throws IOException, ProtocolViolation, ImapParseException {
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag(SystemFlag.ANSWERED, true);
            case "DELETED" -> new SearchKey.Flag(SystemFlag.DELETED, true);
            case "DRAFT" -> new SearchKey.Flag(SystemFlag.DRAFT, true);
            case "FLAGGED" -> new SearchKey.Flag(SystemFlag.FLAGGED, true);
            case "SEEN" -> new SearchKey.Flag(SystemFlag.SEEN, true);
            case "UNANSWERED" -> new SearchKey.Flag(SystemFlag.ANSWERED, false);
            case "UNDELETED" -> new SearchKey.Flag(SystemFlag.DELETED, false);
            case "UNDRAFT" -> new SearchKey.Flag(SystemFlag.DRAFT, false);
            case "UNFLAGGED" -> new SearchKey.Flag(SystemFlag.FLAGGED, false);
            case "UNSEEN" -> new SearchKey.Flag(SystemFlag.SEEN, false);
            case "NEW" -> new SearchKey.New();
            case "OLD" -> new SearchKey.Old();
            case "RECENT" -> new SearchKey.Recent();
            case "KEYWORD" -> new SearchKey.Keyword(argumentAtom(), true);
            case "UNKEYWORD" -> new SearchKey.Keyword(argumentAtom(), false);
            case "BCC", "CC", "FROM", "SUBJECT", "TO" -> new SearchKey.Header(name, argumentString());
            case "HEADER" -> new SearchKey.Header(argumentString().toUpperCase(Locale.ROOT), argumentString());
            case "BODY" -> new SearchKey.Body(argumentString());
            case "TEXT" -> new SearchKey.Text(argumentString());
            case "BEFORE" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.BEFORE);
            case "ON" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.ON);
            case "SINCE" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE);
            case "SENTBEFORE" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.BEFORE);
            case "SENTON" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.ON);
            case "SENTSINCE" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.SINCE);
            case "MODSEQ" -> modseq();
            case "EMAILID" -> new SearchKey.EmailId(argumentObjectId()); // RFC 8474 §6
            case "THREADID" -> new SearchKey.ThreadId(argumentObjectId());
            case "SAVEDBEFORE" -> date(SearchKey.DateField.SAVED, SearchKey.Comparison.BEFORE); // RFC 8514 §4.3
            case "SAVEDON" -> date(SearchKey.DateField.SAVED, SearchKey.Comparison.ON);
            case "SAVEDSINCE" -> date(SearchKey.DateField.SAVED, SearchKey.Comparison.SINCE);
            case "SAVEDATESUPPORTED" -> new SearchKey.SaveDateSupported();
            case "OLDER" -> new SearchKey.Within(true, argumentNzNumber()); // RFC 5032
            case "YOUNGER" -> new SearchKey.Within(false, argumentNzNumber());
            case "LARGER" -> new SearchKey.Size(true, argumentSize());
            case "SMALLER" -> new SearchKey.Size(false, argumentSize());
            case "UID" -> {
                reader.space();
                yield new SearchKey.Uid(in.sequenceSet());
            }
            case "FUZZY" -> { // RFC 6203 §6: search-key =/ "FUZZY" SP search-key
                reader.space();
                yield new SearchKey.Fuzzy(key(depth + 1));
            }
            case "NOT" -> {
                reader.space();
                yield new SearchKey.Not(key(depth + 1));
            }
            case "OR" -> {
                reader.space();
                var left = key(depth + 1);
                reader.space();
                yield new SearchKey.Or(left, key(depth + 1));
            }
            default -> throw new ImapParseException("Unknown search key " + (name.length() > 30 ? name.substring(0, 30) : name));
        };
    }

    /**
     * {@code "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer} (RFC 7162 §3.1.5). Roost
     * keeps one MODSEQ per message, the highest of its entries' (§3.1), so the entry selects nothing.
     */
    private SearchKey modseq() throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        if (reader.peek() == '"') {
            var entry = new String(reader.string(), StandardCharsets.US_ASCII);
            if (!entry.regionMatches(true, 0, "/flags/", 0, 7) || entry.length() == 7) {
                throw new ImapParseException("Invalid entry name " + Arguments.printable(entry));
            }
            in.space();
            var type = reader.atom().toLowerCase(Locale.ROOT);
            if (!type.equals("priv") && !type.equals("shared") && !type.equals("all")) {
                throw new ImapParseException("Invalid entry type " + Arguments.printable(type));
            }
            in.space();
        }
        return new SearchKey.Modseq(in.modseq(true));
    }

    private long argumentNzNumber() throws IOException, ProtocolViolation, ImapParseException {
        long n = argumentNumber();
        if (n == 0) {
            throw new ImapParseException("Interval must be at least 1 second");
        }
        return n;
    }

    private String argumentAtom() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return reader.atom();
    }

    private String argumentObjectId() throws IOException, ProtocolViolation, ImapParseException {
        var id = argumentAtom();
        if (!ObjectIds.valid(id)) {
            throw new ImapParseException("Invalid object id " + Arguments.printable(id));
        }
        return id;
    }

    private String argumentString() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return new String(reader.astring(), StandardCharsets.UTF_8);
    }

    /** LARGER's and SMALLER's number64 (RFC 9051 §6.4.4). */
    private long argumentSize() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return reader.number64();
    }

    private long argumentNumber() throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        return reader.number();
    }

    private SearchKey date(SearchKey.DateField field, SearchKey.Comparison comparison)
            throws IOException, ProtocolViolation, ImapParseException {
        reader.space();
        var text = reader.peek() == '"' ? new String(reader.string(), StandardCharsets.US_ASCII) : reader.atom();
        return new SearchKey.Date(field, comparison, ImapDates.parseDate(text));
    }
}
