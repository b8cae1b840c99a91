package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.roost.net.ProtocolViolation;

/**
 * SORT and UID SORT (RFC 5256 §3, §5) with ESORT's result options (RFC 5267 §3) and CONTEXT=SORT's
 * (§4: CONTEXT, UPDATE, PARTIAL):
 * {@code "SORT" [SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"]
 * SP "(" sort-criterion *(SP sort-criterion) ")" SP charset 1*(SP search-key)}.
 *
 * @param returns     the result options (an ESEARCH answer), or null for a plain SORT answer
 * @param partial     PARTIAL's range, counted in sort order (§4.4), given exactly when {@code returns} has PARTIAL
 * @param updateItems what to fetch of the messages an UPDATE context gains (RFC 5465 §7); usually empty
 */
public record Sort(String tag, boolean uid, Set<Search.ReturnOption> returns, PartialRange partial,
        List<FetchItem> updateItems, List<SortCriterion> criteria, String charset, SearchKey key)
        implements SearchCriteria {
    public static final Syntax<Sort> SORT = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Sort> UID_SORT = (tag, in) -> parse(tag, in, true);

    public Sort(String tag, boolean uid, List<SortCriterion> criteria, String charset, SearchKey key) {
        this(tag, uid, null, criteria, charset, key);
    }

    public Sort(String tag, boolean uid, Set<Search.ReturnOption> returns, List<SortCriterion> criteria,
            String charset, SearchKey key) {
        this(tag, uid, returns, null, List.of(), criteria, charset, key);
    }

    @Override
    public String name() {
        return uid ? "UID SORT" : "SORT";
    }

    private static Sort parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        in.space();
        var search = new SearchParser(in);
        Set<Search.ReturnOption> returns = null;
        if (reader.peek() == 'R' || reader.peek() == 'r') {
            var name = reader.atom().toUpperCase(Locale.ROOT);
            if (!name.equals("RETURN")) {
                throw new ImapParseException("Expected RETURN or '(' before the sort criteria");
            }
            returns = search.returnOptions();
            in.space();
        }
        reader.expect('(', "'(' before the sort criteria");
        var criteria = new ArrayList<SortCriterion>();
        do {
            if (!criteria.isEmpty()) {
                in.space();
            }
            criteria.add(criterion(reader));
        } while (reader.peek() != ')');
        reader.next();
        in.space();
        var charset = search.charset();
        in.space();
        return new Sort(tag, uid, returns, search.partial(), search.updateItems(), List.copyOf(criteria), charset,
                search.keys());
    }

    private static SortCriterion criterion(ImapReader reader) throws IOException, ProtocolViolation, ImapParseException {
        var name = reader.atom().toUpperCase(Locale.ROOT);
        boolean reverse = name.equals("REVERSE");
        if (reverse) {
            reader.space();
            name = reader.atom().toUpperCase(Locale.ROOT);
        }
        try {
            return new SortCriterion(SortCriterion.Key.valueOf(name), reverse);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException("Unknown sort criterion " + Arguments.printable(name));
        }
    }
}
