package org.roost.fts;

import java.io.IOException;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.roost.index.MailboxState;

/** What user {@code u}'s full-text index shows of its INBOX, for the indexer's tests. */
final class IndexedInbox {
    private IndexedInbox() {
    }

    /** The INBOX documents the current searcher sees (what the last refresh made visible). */
    static int documents(FullTextSearch fts, MailboxState inbox) throws IOException {
        var index = fts.index("u");
        var searcher = index.acquire();
        try {
            var key = FullTextSearch.mailboxKey("INBOX", inbox.current().uidValidity());
            return UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, key))).length;
        } finally {
            index.release(searcher);
        }
    }
}
