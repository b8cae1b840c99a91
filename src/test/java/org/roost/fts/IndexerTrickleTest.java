package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.apache.lucene.index.SegmentInfos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * Deliveries one at a time (one LMTP session) are indexed a batch at a time: a catch-up (searcher refresh,
 * segment, commit) per message cost more CPU than the delivery itself (issue 13's profile), and every
 * message still ends up indexed.
 */
@Timeout(120)
class IndexerTrickleTest {
    private static final int MESSAGES = 3;
    @TempDir
    Path root;

    @Test
    void deliveriesArrivingWhileTheIndexerGathersShareOneCommit() throws Exception {
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        var state = cache.open("u", "INBOX");
        try (var fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache)) {
            fts.rebuildNow("u");
            long before = commits(fts.directoryOf("u"));
            for (int i = 0; i < MESSAGES; i++) {
                state.append(new ByteArrayInputStream(message(i)), Set.of(), Set.of(),
                        Instant.ofEpochSecond(1_700_000_000L + i));
                Thread.sleep(20); // one LMTP session's pace: the first is taken up before the next comes
            }
            fts.awaitIdle();
            assertEquals(1, commits(fts.directoryOf("u")) - before, "one catch-up, one commit");
            var index = fts.index("u");
            var searcher = index.acquire();
            try {
                assertEquals(MESSAGES, searcher.getIndexReader().numDocs(), "every message indexed");
            } finally {
                index.release(searcher);
            }
        }
    }

    /** A small plain message, as an MTA's test load sends them. */
    private static byte[] message(int i) {
        return ("From: a@example.org\r\nSubject: message " + i + "\r\n\r\n" + "La la la " + i + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static long commits(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return SegmentInfos.getLastCommitGeneration(files.map(f -> f.getFileName().toString()).toArray(String[]::new));
        }
    }
}
