package org.roost.imap.protocol;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.roost.net.ProtocolViolation;

/**
 * SEARCH and UID SEARCH (RFC 3501 §6.4.4) with RFC 4731's result options:
 * {@code "SEARCH" [SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"]
 * [SP "CHARSET" SP astring] 1*(SP search-key)}.
 *
 * @param returns the result options (an ESEARCH answer), or null for a plain SEARCH answer
 * @param partial PARTIAL's range (RFC 9394 §3.1), given exactly when {@code returns} has PARTIAL
 * @param updateItems what to fetch of the messages an UPDATE context gains (RFC 5465 §7); usually empty
 */
public record Search(String tag, boolean uid, Set<ReturnOption> returns, PartialRange partial,
                     List<FetchItem> updateItems, String charset, SearchKey key) implements Command {
    public static final Syntax<Search> SEARCH = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Search> UID_SEARCH = (tag, in) -> parse(tag, in, true);

    /**
     * A {@code search-return-opt} of RFC 4731 §3.1, SAVE of RFC 5182 §2.1, PARTIAL of RFC 9394 §3.1, CONTEXT
     * and UPDATE of RFC 5267 §4, RELEVANCY of RFC 6203 §3.
     */
    public enum ReturnOption { MIN, MAX, ALL, COUNT, SAVE, PARTIAL, CONTEXT, UPDATE, RELEVANCY }

    public Search(String tag, boolean uid, String charset, SearchKey key) {
        this(tag, uid, null, null, List.of(), charset, key);
    }

    public Search(String tag, boolean uid, Set<ReturnOption> returns, String charset, SearchKey key) {
        this(tag, uid, returns, null, List.of(), charset, key);
    }

    /** The same search answered with ESEARCH's ALL, as IMAP4rev2 answers a SEARCH without RETURN (RFC 9051 §6.4.4). */
    public Search returningAll() {
        return new Search(tag, uid, EnumSet.of(ReturnOption.ALL), partial, updateItems, charset, key);
    }

    @Override
    public String name() {
        return uid ? "UID SEARCH" : "SEARCH";
    }

    private static Search parse(String tag, Arguments in, boolean uid) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        return new SearchParser(in).parse(tag, uid);
    }
}
