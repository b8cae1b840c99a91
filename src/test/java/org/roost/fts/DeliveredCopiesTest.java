package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.search.SearchCommand;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.StoredMessage;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * One delivery to several users (a file and its hard links) is read once for all their indexes, and a message
 * of the same size delivered between the copies keeps texts of its own: every user's searches answer as a scan.
 */
@Timeout(120)
class DeliveredCopiesTest {
    private static final List<SearchKey> KEYS = List.of(new SearchKey.Body("quokka"), new SearchKey.Body("wombat"),
            new SearchKey.Header("Subject", "numbat"), new SearchKey.Header("Subject", "dingo"), new SearchKey.Text("Quokka budget"));
    @TempDir
    Path root;

    @Test
    void everyCopyIsFoundByItsOwnWordsAndNoneByTheOtherMessages() throws Exception {
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        var shared = message("numbat", "The quokka budget for all of you.");
        var other = message("dingo!", "The wombat budget, only for you..");
        assertEquals(shared.length, other.length, "the same size");
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            var first = cache.open("u0", "INBOX");
            var original = append(first, shared);
            for (int user = 1; user < 6; user++) {
                var inbox = cache.open("u" + user, "INBOX");
                if (user == 3) {
                    append(inbox, other);
                } else {
                    inbox.appendCopy(first, original);
                }
                fts.awaitIdle();
            }
            for (int user = 0; user < 6; user++) {
                assertSameAnswersAsWithoutTheIndex(fts, new MailboxView(cache.open("u" + user, "INBOX"), true));
            }
        }
    }

    private static void assertSameAnswersAsWithoutTheIndex(FullTextSearch fts, MailboxView view) throws IOException {
        try (var scanning = FullTextSearch.disabled()) {
            for (var key : KEYS) {
                assertArrayEquals(SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), scanning),
                        SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts),
                        view.state().user() + " " + key);
            }
        } finally {
            view.close();
        }
    }

    private static StoredMessage append(MailboxState inbox, byte[] message) throws IOException {
        return inbox.append(new ByteArrayInputStream(message), Set.of(), Set.of(), Instant.ofEpochSecond(1_700_000_000L));
    }

    private static byte[] message(String subject, String body) {
        return ("From: a@example.org\r\nTo: u@example.org\r\nSubject: " + subject
                + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
