package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.search.SearchCommand;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** User {@code u}'s INBOX in a Maildir under a test's directory, and what its full-text index shows of it. */
final class IndexedInbox {
    private IndexedInbox() {
    }

    /** An index cache over Maildirs under {@code root}/mail, without fsync (the indexer's tests need no durability). */
    static IndexCache cache(Path root) {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
    }

    /** A plain-text message to user {@code u}. */
    static byte[] message(String from, String subject, String body) {
        return ("From: " + from + "\r\nTo: u@example.org\r\nSubject: " + subject
                + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static void append(MailboxState inbox, byte[] message) throws IOException {
        inbox.append(new ByteArrayInputStream(message), Set.of(), Set.of(), Instant.ofEpochSecond(1_700_000_000L));
    }

    /** Asserts each key answers with {@code fts} as a scan does; returns how many messages the first key found. */
    static int assertSearchesAnswerAsAScan(MailboxState inbox, List<SearchKey> keys, FullTextSearch fts)
            throws IOException {
        var view = new MailboxView(inbox, true);
        try (var scanning = FullTextSearch.disabled()) {
            int first = -1;
            for (var key : keys) {
                int[] indexed = SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts);
                assertArrayEquals(SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), scanning),
                        indexed, key.toString());
                first = first < 0 ? indexed.length : first;
            }
            return first;
        } finally {
            view.close();
        }
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
