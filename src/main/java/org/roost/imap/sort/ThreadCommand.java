package org.roost.imap.sort;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.roost.fts.FullTextSearch;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CommandContext;
import org.roost.imap.protocol.Threading;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.imap.search.SearchCommand;

/**
 * THREAD and UID THREAD (RFC 5256 §3) with the ORDEREDSUBJECT and REFERENCES algorithms, and REFS
 * (draft-ietf-morg-inthread, as Dovecot answers it), over the messages SEARCH would find.
 */
public final class ThreadCommand extends SearchResultCommand<Threading> {
    private final int maxDepth;

    /**
     * {@code maxDepth}: how far up a thread a loop check looks, and how many references of a message count;
     * {@code fullText}: what the search step asks, as SEARCH does.
     */
    public ThreadCommand(int maxDepth, FullTextSearch fullText) {
        super(Map.of("THREAD", Threading.THREAD, "UID THREAD", Threading.UID_THREAD),
                List.of(Capability.afterLogin("THREAD=ORDEREDSUBJECT"), Capability.afterLogin("THREAD=REFERENCES"),
                        Capability.afterLogin("THREAD=REFS")),
                fullText);
        this.maxDepth = maxDepth;
    }

    @Override
    void answer(Threading command, CommandContext context, SearchCommand.Found result, ResponseBuffer out)
            throws IOException {
        int[] found = result.seqs();
        var view = context.selected().view();
        var cancellation = context.cancellation();
        var keys = view.threadKeys(found, maxDepth, cancellation);
        var forest = switch (command.algorithm()) {
            case ORDEREDSUBJECT -> OrderedSubjectThreads.of(found, keys);
            case REFERENCES -> ReferenceThreads.of(found, keys, maxDepth, cancellation);
            case REFS -> ReferenceThreads.refs(found, keys, maxDepth, cancellation);
        };
        ThreadResponse.write(out, forest, command.uid() ? view::uid : seq -> seq);
    }
}
