package org.roost.imap.search;

import java.io.IOException;
import java.util.Set;
import org.roost.imap.Command;
import org.roost.imap.ImapWriter;
import org.roost.imap.Reply;
import org.roost.index.MailboxView;
import org.roost.storage.MessageNotFoundException;

/** SEARCH and UID SEARCH (RFC 3501 §6.4.4, §7.2.5). */
public final class SearchCommand {
    private static final Set<String> CHARSETS = Set.of("US-ASCII", "UTF-8");
    private final MailboxView view;
    private final ImapWriter writer;

    public SearchCommand(MailboxView view, ImapWriter writer) {
        this.view = view;
        this.writer = writer;
    }

    public Reply execute(Command.Search c) throws IOException {
        if (!CHARSETS.contains(c.charset())) {
            return Reply.no("BADCHARSET (US-ASCII UTF-8)", "Unsupported charset.");
        }
        var evaluator = new SearchEvaluator(view);
        var line = new StringBuilder("SEARCH");
        for (int seq = 1; seq <= view.count(); seq++) {
            var m = view.message(seq);
            boolean matches;
            try {
                matches = evaluator.matches(c.key(), seq, m);
            } catch (MessageNotFoundException gone) {
                matches = false; // expunged meanwhile; its EXPUNGE follows when allowed
            }
            if (matches) {
                line.append(' ').append(c.uid() ? m.uid() : seq);
            }
        }
        writer.untagged(line.toString());
        return Reply.ok(c.name() + " completed.");
    }
}
