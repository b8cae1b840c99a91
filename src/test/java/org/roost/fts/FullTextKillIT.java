package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
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
 * {@code bin/roost index --fts} (a child process; needs {@code target/roost.jar}) killed with SIGKILL after
 * its first commit: the index it leaves holds what it committed, every search answers as the scan does
 * (what the index lacks is read), and catching up indexes only what the killed run had not committed.
 */
@Timeout(300)
class FullTextKillIT {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final int MESSAGES = 45_000;
    private static final List<SearchKey> KEYS = List.of(new SearchKey.Body("quarterly"), new SearchKey.Text("nvoic"),
            new SearchKey.Header("SUBJECT", "4444"), new SearchKey.Header("FROM", "zoë"),
            new SearchKey.Not(new SearchKey.Body("deadline")));
    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void killedAfterACommitLosesNoSearchResult() throws Exception {
        var mail = new GeneratedMail(new Random(9));
        var cur = Files.createDirectories(dir.resolve("mail/u/cur"));
        Files.createDirectories(dir.resolve("mail/u/new"));
        Files.createDirectories(dir.resolve("mail/u/tmp"));
        for (int i = 0; i < MESSAGES; i++) {
            Files.write(cur.resolve("17000" + i + ".M" + i + "P1.test:2,"), mail.message(i));
        }
        Files.writeString(dir.resolve("passwd"), "u:{PLAIN}pw::::::\n");
        var config = Files.writeString(dir.resolve("roost.yaml"), "data: " + dir.resolve("data")
                + "\nmail: {location: \"maildir:" + dir.resolve("mail") + "/%u\", fsync: false}\n"
                + "auth: {passwdFile: " + dir.resolve("passwd") + "}\n");
        var command = new ArrayList<>(List.of(PROJECT.resolve("bin/roost").toString(), "index", "--config",
                config.toString(), "--fts", "u"));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("index.log").toFile()).start();
        var index = dir.resolve("data/fts/u");
        while (!committed(index)) {
            assertTrue(process.isAlive(), "the indexer ended before its first commit: "
                    + Files.readString(dir.resolve("index.log")));
            Thread.sleep(20);
        }
        Thread.sleep(new Random(23).nextInt(300));
        process.destroyForcibly(); // SIGKILL
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + dir.resolve("mail") + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 26));
        try (var fts = new FullTextSearch(FullTextOptions.defaults(dir.resolve("data/fts")), cache)) {
            var view = new MailboxView(cache.open("u", "INBOX"), true);
            assertAnswersAsTheScan(view, fts);
            fts.awaitIdle();
            assertTrue(fts.indexedMessages() < MESSAGES, "what was committed stays: " + fts.indexedMessages()
                    + " indexed again of " + MESSAGES);
            assertAnswersAsTheScan(view, fts);
            view.close();
        }
    }

    private static boolean committed(Path index) throws IOException {
        if (!Files.isDirectory(index)) {
            return false;
        }
        try (Stream<Path> files = Files.list(index)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        }
    }

    private static void assertAnswersAsTheScan(MailboxView view, FullTextSearch fts) throws IOException {
        for (var key : KEYS) {
            assertArrayEquals(SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(),
                    FullTextSearch.disabled()),
                    SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts), key.toString());
        }
    }
}
