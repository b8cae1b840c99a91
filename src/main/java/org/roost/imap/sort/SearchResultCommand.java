package org.roost.imap.sort;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.roost.mail.UidSet;

/**
 * A command that answers with the messages SEARCH would find, arranged (SORT, THREAD): the charset
 * check, the search, and an answer written only once it is complete, so a failure halfway answers
 * NO without a half line. EXPUNGE may follow only the UID form (RFC 5256 §3). {@code $} in the keys names
 * the last saved result (RFC 5182 §2.1).
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
        var selected = context.selected();
        var refusal = refusal(command, context);
        if (refusal.isPresent()) {
            return refusal.get();
        }
        var previous = selected.savedSearch(); // what $ in this command's keys names
        if (saves(command)) {
            selected.saveSearch(UidSet.empty()); // RFC 5182 §2.1: stays empty should the command fail
        }
        if (!SearchCommand.knowsCharset(command.charset())) {
            return SearchCommand.badCharset();
        }
        var view = selected.view();
        var out = new ResponseBuffer(context.writer().stream());
        if (!answeredUnsearched(command, context, out)) {
            var found = SearchCommand.found(view, command.key(), previous, context.cancellation(), fullText);
            // arrival order, and the sent date's fallback (RFC 5256 §2.2), need internal dates not looked up yet
            view.learn(found.seqs(), Set.of(Fact.FILE_STATUS), context.cancellation());
            answer(command, context, found, out);
        }
        out.drain();
        return Reply.ok(command.name() + " completed.");
    }

    /** The answer to a command refused before any work, empty for one to be done. */
    Optional<Reply> refusal(C command, CommandContext context) {
        return Optional.empty();
    }

    /** What the search step asks for text keys. */
    FullTextSearch fullText() {
        return fullText;
    }

    /** Whether the command keeps its result for {@code $} (RFC 5182's SAVE). */
    boolean saves(C command) {
        return false;
    }

    /**
     * Writes the untagged answer to a command over every message from what is kept, without a search,
     * when it can; false when the search must run first.
     */
    boolean answeredUnsearched(C command, CommandContext context, ResponseBuffer out) throws IOException {
        return false;
    }

    /**
     * Writes the untagged answer for the messages {@code found} (sequence numbers, ascending, with their
     * relevancies) in the selected mailbox.
     */
    abstract void answer(C command, CommandContext context, SearchCommand.Found found, ResponseBuffer out)
            throws IOException;
}
