package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;

/**
 * cur/ is read into bytes by readdir itself where Java allows it ({@link NativeDirectoryNames}): it must
 * find the names {@code File.list} finds, as the same strings, for the names other programs write, and
 * cope with a hundred thousand files a delivery agent dropped into new/ at once.
 */
class DirectoryNamesTest {

    @TempDir
    Path root;

    @Test
    void readdirFindsWhatFileListFindsForOddNames() throws IOException {
        var names = new HashSet<String>();
        names.add("1609459497.M1P2.host:2,S");
        names.add("plain");
        names.add(".hidden");
        names.add("..dots");
        names.add("höst-ünïcode:2,RS");
        names.add("日本語のメール");
        names.add("with space and\ttab");
        names.add("a".repeat(255));
        names.add("é".repeat(127)); // 254 bytes, 127 characters
        names.add(":2,S");
        names.add("x:y:z");
        for (int i = 0; i < 3000; i++) {
            names.add((1_600_000_000L + i) + ".M" + i + "P" + i + ".host,S=" + i + ":2," + "DFRST".substring(i % 5));
        }
        var dir = Files.createDirectories(root.resolve("cur"));
        for (var name : names) {
            Files.writeString(dir.resolve(name), "x");
        }
        Files.createDirectories(dir.resolve("a directory"));
        names.add("a directory");

        var best = DirectoryNames.best();
        if (Runtime.version().feature() >= 22 && System.getProperty("os.name").equalsIgnoreCase("Linux")) {
            assertEquals(NativeDirectoryNames.class, best.getClass(), "the native reader is the one tested here");
        }
        assertEquals(names, read(best, dir));
        assertEquals(names, read(DirectoryNames::listed, dir));
    }

    private static Set<String> read(DirectoryNames reader, Path dir) throws IOException {
        var bytes = new KeyBytes();
        var found = new HashSet<String>();
        for (long name : reader.read(dir, bytes)) {
            assertTrue(found.add(bytes.string(name)), "each name once");
        }
        return found;
    }

    @Test
    void aHundredThousandFilesDroppedIntoNewAtOnceAreNumberedInDeliveryOrderAndKeepTheirUids() throws IOException {
        var user = root.resolve("user");
        var store = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user);
        store.mailbox("INBOX");
        int files = 100_000;
        var expected = new ArrayList<String>();
        for (int i = 0; i < files; i++) {
            // procmail's names: no size, no info part; seconds ascending, names written in another order
            var name = (1_500_000_000L + i) + "." + (files - i) + "_" + (i % 7) + ".mta";
            Files.writeString(user.resolve("new").resolve(name), "Subject: " + i + "\r\n\r\n");
            expected.add(name);
        }
        var scanned = store.mailbox("INBOX").scan();
        assertEquals(expected, scanned.stream().map(StoredMessage::key).toList());
        for (int i = 0; i < files; i++) {
            assertEquals(i + 1, scanned.get(i).uid());
        }
        try (var cur = Files.list(user.resolve("cur"))) {
            assertEquals(files, cur.count(), "every file moved to cur/");
        }
        var uids = new HashMap<String, Long>();
        scanned.forEach(m -> uids.put(m.key(), m.uid()));
        var again = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user).mailbox("INBOX").scan();
        again.forEach(m -> assertEquals(uids.get(m.key()), m.uid()));
        assertEquals(files, again.size());
    }
}
