package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** RFC 6203 FUZZY from the trigram index: the share of a needle's trigrams a message holds is its relevancy. */
@Timeout(120)
class ResemblanceTest {
    @TempDir
    Path root;
    private IndexCache cache;
    private MailboxState state;

    @BeforeEach
    void mailbox() throws IOException {
        cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        state = cache.open("u", "INBOX");
        deliver("Greeting", "helo there");
        deliver("Greeting", "hello world");
        deliver("Farewell", "goodbye all");
    }

    @Test
    void aMessageHoldingTheNeedleIsMostRelevantAndOneSharingHalfItsTrigramsIsFound() throws Exception {
        assertArrayEquals(new int[] {100, 50, Resemblance.NOT}, relevancies(new Searched.Body(), "Helo"));
        assertArrayEquals(new int[] {Resemblance.NOT, Resemblance.NOT, 100},
                relevancies(new Searched.Header("subject"), "farewell"));
        // TEXT looks into the headers and the body: a trigram counts once wherever it is
        assertArrayEquals(new int[] {100, 50, Resemblance.NOT}, relevancies(new Searched.Text(), "HELO"));
    }

    @Test
    void whatTheIndexDoesNotHoldIsLeftToTheMatcher() throws Exception {
        try (var fts = new FullTextSearch(options(), cache)) {
            fts.rebuildNow("u");
            var view = new MailboxView(state, true);
            try (var lookup = fts.lookup(view).orElseThrow()) {
                var resemblance = lookup.resemblance(new Searched.Body(), "helo").orElseThrow();
                assertArrayEquals(new int[] {100, Resemblance.MATCHER}, resemblance.of(new long[] {1, 99}));
            } finally {
                view.close();
            }
        }
    }

    @Test
    void hostileNeedlesAreBoundedOrLeftToTheMatcher() throws Exception {
        // a megabyte needle asks its first MAX_TRIGRAMS trigrams only (here one distinct trigram)
        assertArrayEquals(new int[] {Resemblance.NOT, Resemblance.NOT, Resemblance.NOT},
                relevancies(new Searched.Body(), "x".repeat(1 << 20)));
        assertTrue(new Searched.Body().resembling("ab").isEmpty(), "under three characters: the matcher decides");
        var resembling = new Searched.Body().resembling("abcdefghij".repeat(100_000)).orElseThrow();
        assertEquals(10, resembling.trigrams());
    }

    /** A trigram past the positioned characters of a text counts as one before them. */
    @Test
    void trigramsPastThePositionsCountAsThoseBefore() throws Exception {
        deliver("Long", "hel" + ".".repeat(400) + "elo");
        deliver("Long", "hel" + ".".repeat(400) + "xyz");
        var options = options().withPositionedChars(200);
        assertArrayEquals(new int[] {100, 50, Resemblance.NOT, 100, 50},
                relevancies(options, new Searched.Body(), "helo", 1, 2, 3, 4, 5));
        assertArrayEquals(new int[] {100, 50, Resemblance.NOT, 100, 50},
                relevancies(options, new Searched.Text(), "helo", 1, 2, 3, 4, 5));
    }

    private int[] relevancies(Searched searched, String needle) throws Exception {
        return relevancies(options(), searched, needle, 1, 2, 3);
    }

    private int[] relevancies(FullTextOptions options, Searched searched, String needle, long... uids) throws Exception {
        try (var fts = new FullTextSearch(options, cache)) {
            fts.rebuildNow("u");
            var view = new MailboxView(state, true);
            try (var lookup = fts.lookup(view).orElseThrow()) {
                return lookup.resemblance(searched, needle).orElseThrow().of(uids);
            } finally {
                view.close();
            }
        }
    }

    private FullTextOptions options() {
        return FullTextOptions.defaults(root.resolve("fts")).withCommitInterval(Duration.ofHours(1));
    }

    private void deliver(String subject, String body) throws IOException {
        var message = "From: a@example.org\r\nSubject: " + subject + "\r\n\r\n" + body + "\r\n";
        state.append(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), Set.of(), Set.of(),
                Instant.ofEpochSecond(1_700_000_000L));
    }
}
