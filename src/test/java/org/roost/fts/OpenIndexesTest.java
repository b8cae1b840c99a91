package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.imap.protocol.SearchKey;
import org.roost.imap.search.SearchCommand;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.testing.GeneratedMail;

/**
 * With room for one open index, users searched in turn close each other's index: each search still
 * answers as the scan does, from an index opened again, which is never taken for damaged and rebuilt.
 */
@Timeout(60)
class OpenIndexesTest {
    @TempDir
    Path root;

    @Test
    void usersTakeTurnsInTheOpenIndexes() throws Exception {
        var mail = new GeneratedMail(new Random(5));
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        var users = List.of("ann", "bob", "cid");
        for (var user : users) {
            var state = cache.open(user, "INBOX");
            for (int i = 0; i < 60; i++) {
                state.append(new ByteArrayInputStream(mail.message(i)), Set.of(), Set.of(), Instant.now());
            }
        }
        var defaults = FullTextOptions.defaults(root.resolve("fts"));
        var options = new FullTextOptions(true, defaults.directory(), defaults.ramBufferMb(), defaults.maxTextChars(),
                defaults.queueBound(), 1, defaults.attachments(), defaults.maxIndexBytesPerUser(),
                defaults.commitInterval(), defaults.refreshInterval(), defaults.positionedChars(),
                defaults.deferredMessagesPerUser());
        try (var fts = new FullTextSearch(options, cache)) {
            for (var user : users) {
                fts.rebuildNow(user);
            }
            long indexed = fts.indexedMessages();
            var key = new SearchKey.Body("quarterly");
            for (int round = 0; round < 3; round++) {
                for (var user : users) {
                    var view = new MailboxView(cache.open(user, "INBOX"), true);
                    try (var lookup = fts.lookup(view).orElseThrow()) {
                        assertTrue(lookup.current(view), user + "'s index is whole");
                    }
                    assertArrayEquals(SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), FullTextSearch.disabled()),
                            SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts));
                    view.close();
                }
            }
            fts.awaitIdle();
            assertEquals(indexed, fts.indexedMessages(), "nothing indexed again");
        }
    }
}
