package org.roost.imap.sort;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandContext;
import org.roost.imap.command.CommandExecutor;
import org.roost.imap.command.SessionState;
import org.roost.imap.protocol.SearchCriteria;
import org.roost.imap.protocol.Syntax;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.search.SearchCommand;
import org.roost.index.Fact;
import org.roost.index.MailboxView;
import org.roost.net.Cancellation;

/**
 * A command that answers with the messages SEARCH would find, arranged (SORT, THREAD): the charset
 * check, the search, and an answer written only once it is complete, so a failure halfway answers
 * NO without a half line. EXPUNGE may follow only the UID form (RFC 5256 §3).
 */
abstract class SearchResultCommand<C extends SearchCriteria> extends CommandExecutor<C> {
    private final FullTextSearch fullText;

    /** {@code fullText}: what SEARCH asks, so that SORT and THREAD find what SEARCH finds. */
    SearchResultCommand(Map<String, Syntax<? extends C>> syntax, List<Capability> capabilities,
            FullTextSearch fullText) {
        super(SessionState.SELECTED_ONLY, syntax, capabilities);
        this.fullText = fullText;
    }

    @Override
    public final boolean expungesAllowedAfter(C command) {
        return command.uid();
    }

    @Override
    public final Reply execute(C command, CommandContext context) throws IOException {
        if (!SearchCommand.knowsCharset(command.charset())) {
            return SearchCommand.badCharset();
        }
        var view = context.selected().view();
        int[] found = SearchCommand.matching(view, command.key(), context.selected().savedSearch(),
                context.cancellation(), fullText);
        // arrival order, and the sent date's fallback (RFC 5256 §2.2), need internal dates not looked up yet
        view.learn(found, Set.of(Fact.FILE_STATUS), context.cancellation());
        var out = new ResponseBuffer(context.writer().stream());
        answer(command, view, found, context.cancellation(), out);
        out.drain();
        return Reply.ok(command.name() + " completed.");
    }

    /** Writes the untagged answer for the messages {@code found} (sequence numbers, ascending). */
    abstract void answer(C command, MailboxView view, int[] found, Cancellation cancellation, ResponseBuffer out)
            throws IOException;
}
