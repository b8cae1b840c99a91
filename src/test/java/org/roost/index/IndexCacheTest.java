package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** The cache stays within its budget by closing idle mailboxes, and never splits a mailbox a session holds. */
class IndexCacheTest {
    @TempDir
    Path root;

    private IndexCache cache(long budget) {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, budget));
    }

    @Test
    void smallBudgetEvictsIdleMailboxesAndKeepsBehaviour() throws IOException {
        var cache = cache(64 * 1024);
        var store = cache.mailboxes("u");
        for (int i = 0; i < 40; i++) {
            store.create("box" + i);
            var state = cache.open("u", "box" + i);
            for (int j = 0; j <= i % 5; j++) {
                state.append(IndexPersistenceTest.message(j), Set.of(), Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
            }
        }
        assertTrue(cache.evictions() > 0, "the budget forced evictions");
        assertTrue(cache.openMailboxes() < 40);
        for (int i = 0; i < 40; i++) {
            assertEquals(i % 5 + 1, cache.open("u", "box" + i).current().count());
        }
        assertEquals(80, cache.hits() + cache.misses());
    }

    /** Parsed structures weigh: a budget that counted the tables alone let thousands of mailboxes hold 5 MB each. */
    @Test
    void parsedStructuresCountAgainstTheBudget() throws IOException {
        var cache = cache(256L * 1024 * 1024);
        var state = cache.open("u", "INBOX");
        for (int j = 0; j < 100; j++) {
            state.append(IndexPersistenceTest.message(j), Set.of(), Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
        }
        long tablesOnly = cache.bytes();
        for (var message : state.current().messages()) {
            state.structure(message);
        }
        assertEquals(tablesOnly + 100L * StructureCache.STRUCTURE_BYTES, cache.bytes());
        var small = cache(64 * 1024);
        var reopened = small.open("u", "INBOX");
        for (var message : reopened.current().messages()) {
            reopened.structure(message);
        }
        assertEquals(0, small.evictions());
        small.open("u", "INBOX"); // weighed again: with its structures (256 kB) it no longer fits
        assertEquals(1, small.evictions());
    }

    @Test
    void heldStateIsNeverReplaced() throws IOException {
        var cache = cache(1024 * 1024);
        var store = cache.mailboxes("u");
        var held = cache.open("u", "INBOX");
        var view = new MailboxView(held, false);
        var others = new ArrayList<MailboxState>();
        for (int i = 0; i < 200; i++) {
            store.create("f" + i);
            others.add(cache.open("u", "f" + i)); // weigh enough to push INBOX out of the cache
        }
        for (int i = 0; i < 200; i++) {
            cache.open("u", "f" + i);
        }
        assertSame(held, cache.open("u", "INBOX"));
        assertSame(held, view.state());
        assertEquals(cache.hits() + cache.misses(), 402);
    }

    /** The user database may send two names to one directory: one state per mailbox, or two indexes would fight. */
    @Test
    void statesAreKeyedByWhereTheMailIsNotByTheName() throws IOException {
        var maildir = new MaildirDriver(MaildirOptions.defaults().withFsync(false));
        var shared = MailLocation.parse("maildir:" + root + "/shared");
        var cache = new IndexCache(new StorageDriver() {
            @Override
            public UserLocation locate(String user) {
                return new UserLocation(user, user.startsWith("alias") ? shared : MailLocation.parse("maildir:" + root
                        + "/%u"), "");
            }

            @Override
            public MailStore open(UserLocation location) throws IOException {
                return maildir.open(location);
            }
        }, new IndexOptions(true, false, 1 << 20));
        var inbox = cache.open("alias1", "INBOX");
        assertSame(inbox, cache.open("alias2", "INBOX"));
        assertSame(inbox, cache.open("shared", "INBOX"), "mail.location leads there too");
        assertNotSame(inbox, cache.open("other", "INBOX"));
        cache.mailboxes("alias2").create("Lists");
        assertTrue(cache.mailboxes("alias1").exists("Lists"));
    }
}
