package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.storage.ChangeToken;
import org.roost.storage.MailboxStore;

/**
 * The change token of a folder nothing touched costs three stats (new/, cur/, the folder): dovecot-uidlist and
 * dovecot-keywords are stat'ed again only after the folder's stamp moved, which every writer's dot lock makes
 * it do. What Dovecot writes under its locks is still seen, and a folder stamp too fresh to prove anything is
 * not trusted.
 */
class ChangeTokenTest {
    @TempDir
    Path root;
    private Path user;
    private Path uidList;
    private MailboxStore inbox;

    @BeforeEach
    void open() throws IOException {
        user = root.resolve("user");
        inbox = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(user).mailbox("INBOX");
        inbox.append(new ByteArrayInputStream("Subject: a\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)),
                Set.of(), Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
        uidList = user.resolve(MaildirMailbox.UIDLIST);
        age(user, user.resolve("cur"), user.resolve("new"), uidList);
    }

    /** Puts stamps a minute in the past: settled, so that tokens prove something without waiting for the clock. */
    private static void age(Path... paths) throws IOException {
        var old = FileTime.from(Instant.now().minusSeconds(60));
        for (var p : paths) {
            Files.setLastModifiedTime(p, old);
        }
    }

    /** A token after one that learnt the bookkeeping files' fingerprint. */
    private ChangeToken learnt() throws IOException {
        inbox.changeToken();
        return inbox.changeToken();
    }

    @Test
    void anUntouchedFolderCostsThreeStats() throws IOException {
        var first = learnt();
        long before = MaildirMailbox.stats();
        var again = inbox.changeToken();
        assertEquals(3, MaildirMailbox.stats() - before, "new/, cur/ and the folder");
        assertTrue(again.settled());
        assertTrue(first.sameStamps(again));
    }

    @Test
    void aUidListDovecotReplacesUnderItsLockIsSeen() throws IOException {
        var before = learnt();
        var lock = user.resolve(MaildirMailbox.UIDLIST + ".lock");
        Files.writeString(lock, Files.readString(uidList).replaceFirst(" N2 ", " N7 "));
        Files.move(lock, uidList, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertFalse(before.sameStamps(inbox.changeToken()));
    }

    @Test
    void aUidListDovecotAppendsToUnderItsLockIsSeen() throws IOException {
        var before = learnt();
        var lock = Files.createFile(user.resolve(MaildirMailbox.UIDLIST + ".lock"));
        Files.writeString(uidList, "9 :1700000009.M9P9.other\n", StandardOpenOption.APPEND);
        Files.delete(lock);
        assertFalse(before.sameStamps(inbox.changeToken()));
    }

    @Test
    void keywordsDovecotWritesUnderItsLockAreSeen() throws IOException {
        var before = learnt();
        var lock = user.resolve(KeywordFile.NAME + ".lock");
        Files.writeString(lock, "0 $Forwarded\n");
        Files.move(lock, user.resolve(KeywordFile.NAME), StandardCopyOption.ATOMIC_MOVE);
        assertFalse(before.sameStamps(inbox.changeToken()));
    }

    /**
     * A folder stamped within the file system's clock granularity of now may be stamped alike after a further
     * change: the files are stat'ed every time until the stamp has settled. Here the folder is stamped ahead of
     * the clock (as by a file server's), and the later write keeps that stamp exactly (as one in the same clock tick
     * would), so only a fresh stat of the uid list can see it.
     */
    @Test
    void aFolderStampTooFreshToProveAnythingIsNotTrusted() throws IOException {
        var now = FileTime.from(Instant.now().plusSeconds(10));
        Files.setLastModifiedTime(user, now);
        var before = learnt();
        Files.writeString(uidList, "9 :1700000009.M9P9.other\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(user, now);
        assertFalse(before.sameStamps(inbox.changeToken()));
    }
}
