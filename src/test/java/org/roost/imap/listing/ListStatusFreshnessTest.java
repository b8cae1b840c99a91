package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.testing.RawImapClient;

/**
 * LIST-STATUS (RFC 5819) answers from the index only what the folders' stamps prove unchanged: what another
 * program did to a folder between two LIST-STATUS commands shows in the second, whichever file it touched.
 * Hostile shapes: ten thousand folders, a hierarchy as deep as a Maildir++ name allows, folders removed while
 * the listing runs.
 */
class ListStatusFreshnessTest extends ListingTestBase {
    private static final String LIST_STATUS = "LIST \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN UIDNEXT))";
    private static final Pattern STATUS_NAME = Pattern.compile("^\\* STATUS (\"[^\"]*\"|\\S+) \\(.*");
    private static final Pattern LIST_NAME = Pattern.compile("^\\* LIST \\([^)]*\\) \"\\.\" (\"[^\"]*\"|\\S+)$");

    private Path folder(String name) {
        return server.maildir(user).resolve("." + name);
    }

    private String statusOf(String name) throws IOException {
        var r = c.expectOk(LIST_STATUS);
        return r.untagged().stream().filter(line -> line.startsWith("* STATUS " + name + " ")).findFirst().orElseThrow();
    }

    /** Puts the folder's stamps a minute in the past, so that unchanged tokens prove something at once. */
    private void age(String name) throws IOException {
        var old = FileTime.from(Instant.now().minusSeconds(60));
        var dir = folder(name);
        for (var p : List.of(dir, dir.resolve("cur"), dir.resolve("new"), dir.resolve("dovecot-uidlist"))) {
            Files.setLastModifiedTime(p, old);
        }
    }

    private List<Path> curFiles(String name) throws IOException {
        try (Stream<Path> files = Files.list(folder(name).resolve("cur"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void whatAnotherProgramChangedShowsAtTheNextListStatus() throws Exception {
        create("foo");
        for (int i = 0; i < 3; i++) {
            c.append("foo", i == 0 ? "(\\Seen)" : "", ("Subject: m" + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        age("foo");
        assertEquals("* STATUS foo (MESSAGES 3 UNSEEN 2 UIDNEXT 4)", statusOf("foo"));
        assertEquals("* STATUS foo (MESSAGES 3 UNSEEN 2 UIDNEXT 4)", statusOf("foo"));

        // an MTA delivers into new/
        var tmp = folder("foo").resolve("tmp/1700000100.M1P1.mta");
        Files.writeString(tmp, "Subject: delivered\r\n\r\nhi\r\n");
        Files.move(tmp, folder("foo").resolve("new/1700000100.M1P1.mta"));
        assertEquals("* STATUS foo (MESSAGES 4 UNSEEN 3 UIDNEXT 5)", statusOf("foo"));

        // a mail reader marks one seen (a rename in cur/)
        age("foo");
        statusOf("foo");
        var unseen = curFiles("foo").stream().filter(p -> p.toString().endsWith(":2,")).findFirst().orElseThrow();
        Files.move(unseen, unseen.resolveSibling(unseen.getFileName() + "S"));
        assertEquals("* STATUS foo (MESSAGES 4 UNSEEN 2 UIDNEXT 5)", statusOf("foo"));

        // and removes one
        age("foo");
        statusOf("foo");
        Files.delete(curFiles("foo").getFirst());
        assertEquals("* STATUS foo (MESSAGES 3 UNSEEN 2 UIDNEXT 5)", statusOf("foo"));

    }

    private static List<String> numbered(String format, int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format(format, i)).toList();
    }

    /** Folders made by another program, empty as a fresh Maildir++ folder is. */
    private void makeFolders(List<String> names) throws IOException {
        for (var name : names) {
            for (var sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(folder(name).resolve(sub));
            }
        }
    }

    @Test
    @Timeout(300)
    void twoThousandFolders() throws Exception {
        makeFolders(numbered("f%05d", 2_000));
        for (int round = 0; round < 2; round++) {
            var r = c.expectOk(LIST_STATUS);
            assertEquals(2_001, r.untagged("LIST").size());
            assertEquals(2_001, r.untagged("STATUS").size());
        }
        Files.createDirectories(folder("f01999").resolve("new")).resolve("1700000000.M1P1.mta").toFile().createNewFile();
        assertEquals("* STATUS f01999 (MESSAGES 1 UNSEEN 1 UIDNEXT 2)", statusOf("f01999"));
    }

    /**
     * The deepest hierarchy a Maildir folder may have (16 levels, no parent with a folder of its own) is listed
     * with its STATUS; one of 127 levels (as deep as a 255-byte directory name allows), made by another program, is not.
     */
    @Test
    void theDeepestHierarchies() throws Exception {
        var deepest = String.join(".", Collections.nCopies(16, "a"));
        makeFolders(List.of(deepest, String.join(".", Collections.nCopies(127, "b"))));
        var r = c.expectOk(LIST_STATUS);
        assertEquals(List.of("* LIST () \".\" INBOX", "* LIST () \".\" " + deepest), r.untagged("LIST"));
        assertEquals(List.of("* STATUS INBOX (MESSAGES 0 UNSEEN 0 UIDNEXT 1)",
                "* STATUS " + deepest + " (MESSAGES 0 UNSEEN 0 UIDNEXT 1)"), r.untagged("STATUS"));
    }

    /**
     * Folders removed by another program while LIST-STATUS lists them: every answer completes, a STATUS only ever
     * follows the LIST of its own mailbox, and once the removals stop the listing shows exactly what is left.
     */
    @Test
    @Timeout(120)
    void foldersVanishingWhileTheyAreListed() throws Exception {
        var names = numbered("v%03d", 400);
        makeFolders(names);
        c.expectOk(LIST_STATUS);
        var failure = new AtomicReference<Throwable>();
        var remover = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < names.size(); i += 2) {
                    removeTree(folder(names.get(i)));
                }
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        });
        var lister = login();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            assertConsistent(lister.expectOk(LIST_STATUS));
        } while (remover.isAlive() && System.nanoTime() < deadline);
        remover.join();
        assertEquals(null, failure.get());
        var left = lister.expectOk(LIST_STATUS);
        assertConsistent(left);
        assertEquals(201, left.untagged("STATUS").size());
        assertEquals(201, left.untagged("LIST").size());
    }

    private static void assertConsistent(RawImapClient.Response r) {
        String listed = null;
        var seen = new HashSet<String>();
        for (var line : r.untagged()) {
            var list = LIST_NAME.matcher(line);
            var status = STATUS_NAME.matcher(line);
            if (list.matches()) {
                listed = list.group(1);
                assertTrue(seen.add(listed), "listed twice: " + line);
            } else {
                assertTrue(status.matches(), line);
                assertEquals(listed, status.group(1), "a STATUS not right after its LIST");
            }
        }
    }

    /** As {@code rm -rf}, again while the server writes into the folder meanwhile (its index files). */
    private static void removeTree(Path dir) throws IOException {
        for (int attempt = 0; Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (var p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (NoSuchFileException | DirectoryNotEmptyException raced) {
                if (attempt == 100) {
                    throw raced;
                }
            }
        }
    }
}
