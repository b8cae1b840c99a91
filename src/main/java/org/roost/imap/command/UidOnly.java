package org.roost.imap.command;

import org.roost.imap.protocol.Command;
import org.roost.imap.protocol.Copy;
import org.roost.imap.protocol.Fetch;
import org.roost.imap.protocol.Replace;
import org.roost.imap.protocol.Search;
import org.roost.imap.protocol.SearchCriteria;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.protocol.Select;
import org.roost.imap.protocol.Store;
import org.roost.imap.protocol.response.Reply;

/**
 * The commands UIDONLY refuses (RFC 9586 §3): once the client enabled it, no argument may name a
 * message by sequence number, so FETCH, STORE, COPY, MOVE, REPLACE, SEARCH, SORT and THREAD without their UID
 * prefix, a sequence-set search key in their UID forms and QRESYNC's message sequence match data are
 * answered {@code BAD [UIDREQUIRED]}. {@code $} (RFC 5182) names a saved result, not numbers: the UID
 * commands take it. What the responses become is decided where they are written
 * ({@link org.roost.imap.protocol.response.ImapWriter#uidOnly()}).
 */
public final class UidOnly {
    /** The refusal, with the response code and the words of RFC 9586 §3. */
    public static final Reply REFUSAL = Reply.bad("UIDREQUIRED", "Message numbers are not allowed once UIDONLY is enabled");

    private UidOnly() {}

    /** Whether {@code command} names messages by sequence number anywhere in its arguments. */
    public static boolean numbersMessages(Command command) {
        return switch (command) {
            case Fetch fetch -> !fetch.uid();
            case Store store -> !store.uid();
            case Copy copy -> !copy.uid();
            case Replace replace -> !replace.uid();
            case Search search -> !search.uid() || numbersMessages(search.key());
            case SearchCriteria criteria -> !criteria.uid() || numbersMessages(criteria.key());
            case Select select -> select.qresync() != null && select.qresync().knownSequences() != null;
            default -> false;
        };
    }

    /** A sequence-set search key, which UIDONLY forbids in the UID forms too (RFC 9586 §3.5). */
    private static boolean numbersMessages(SearchKey key) {
        return key.any(k -> k instanceof SearchKey.Sequence sequence && !sequence.set().isSaved());
    }
}
