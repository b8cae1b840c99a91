package org.roost.storage.maildir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailboxStore;
import org.roost.storage.files.Durability;

/**
 * A folder large enough that cur/ is stat'ed by several threads while it is read: every file is
 * found once with its own date, size and flags, UIDs follow delivery order, and the streamed
 * scan reports the same as the list.
 */
class LargeFolderScanTest {
    private static final int FILES = 3_000;
    private static final Instant BASE = Instant.parse("2023-01-01T00:00:00Z");

    @TempDir
    Path root;

    @Test
    void everyFileOfALargeFolderIsScannedOnceInDeliveryOrder() throws IOException {
        var dir = root.resolve("user");
        Files.createDirectories(dir.resolve("cur"));
        var random = new Random(11);
        var expected = new ArrayList<String>();
        for (int i = 0; i < FILES; i++) {
            // delivery seconds ascending with i, written in a shuffled-looking order of names
            var base = (1_600_000_000L + i) + ".M" + random.nextInt(1_000_000) + "P1.host";
            var flags = i % 3 == 0 ? ":2,S" : i % 3 == 1 ? ":2,FR" : "";
            var file = dir.resolve("cur").resolve(base + flags);
            Files.writeString(file, "x".repeat(i % 50 + 1));
            Files.setLastModifiedTime(file, FileTime.from(BASE.plusSeconds(i)));
            expected.add(base + " " + (i % 50 + 1) + " " + BASE.plusSeconds(i) + " " + (i % 3));
        }
        Files.createDirectories(dir.resolve("cur").resolve("1600000000.Mdir.host")); // not a message
        MailboxStore inbox = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(dir).mailbox("INBOX");

        var scanned = inbox.scan();
        assertEquals(FILES, scanned.size());
        var described = new ArrayList<String>();
        long uid = 0;
        for (var m : scanned) {
            assertEquals(++uid, m.uid(), "UIDs given in delivery order, from 1");
            described.add(m.key() + " " + m.physicalSize() + " " + m.internalDate() + " " + kind(m.flags()));
        }
        assertEquals(expected, described);

        var streamed = new ArrayList<StoredMessage>();
        inbox.scan(new MailboxStore.ScanConsumer() {
            @Override
            public void expect(int messages) {
                assertTrue(messages >= FILES);
            }

            @Override
            public void accept(StoredMessage message) {
                streamed.add(message);
            }
        });
        assertEquals(scanned, streamed);
    }

    /**
     * Past {@link MessageDirectory#KEPT_LISTING_MAX} files the listing is not kept after a scan;
     * measuring names without sizes (as other MDAs write them) must still not list the folder
     * once per message, which took time in the square of its size.
     */
    @Test
    void aFolderTooLargeToKeepItsListingIsMeasuredWithoutListingItPerMessage() throws IOException {
        var dir = root.resolve("user");
        Files.createDirectories(dir.resolve("cur"));
        int files = MessageDirectory.KEPT_LISTING_MAX + 1;
        for (int i = 0; i < files; i++) {
            Files.writeString(dir.resolve("cur").resolve((1_600_000_000L + i) + ".M" + i + "P1.mta:2,S"), "x");
        }
        var inbox = (MaildirMailbox) new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(dir)
                .mailbox("INBOX");
        long[] count = {0};
        inbox.scan(new MailboxStore.ScanConsumer() {
            @Override
            public void expect(int messages) {
            }

            @Override
            public void accept(StoredMessage message) {
                count[0]++;
            }
        });
        assertEquals(files, count[0]);
        assertTrue(inbox.directoryListings() <= 3, "listings: " + inbox.directoryListings());
    }

    @Test
    void aSecondFileWithTheSameBaseGetsANameOfItsOwn() throws IOException {
        var dir = root.resolve("user");
        Files.createDirectories(dir.resolve("cur"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(dir.resolve("cur").resolve((1_600_000_000L + i) + ".M1P1.host:2,"), "x");
        }
        Files.writeString(dir.resolve("cur").resolve("1600000007.M1P1.host:2,S"), "twin");
        var inbox = new MaildirDriver(MaildirOptions.defaults().withFsync(false)).open(dir).mailbox("INBOX");
        List<StoredMessage> scanned = inbox.scan();
        assertEquals(FILES + 1, scanned.size());
        Set<String> keys = new HashSet<>();
        scanned.forEach(m -> keys.add(m.key()));
        assertEquals(FILES + 1, keys.size(), "every file under its own key");
        try (var files = Files.list(dir.resolve("cur"))) {
            assertEquals(FILES + 1, files.count(), "the twin was renamed, not dropped");
        }
    }

    @Test
    void namesThatTheFlagsImplyAreTold() {
        for (var name : List.of("1.M1P1.h", "1.M1P1.h:2,", "1.M1P1.h:2,S", "1.M1P1.h:2,DFRSTab", "1.M1P1.h,S=5:2,Sz")) {
            assertTrue(MaildirFileName.impliedByFlags(name), name);
        }
        for (var name : List.of("1.M1P1.h:2,SF", "1.M1P1.h:2,PS", "1.M1P1.h:2,SS", "1.M1P1.h:1,S", "1.M1P1.h:2,S:x")) {
            assertTrue(!MaildirFileName.impliedByFlags(name), name);
        }
    }

    @Test
    void aListingVouchesForCurOnlyWhileItsStampIsOldAndUnmoved() throws IOException {
        var dir = root.resolve("user");
        var files = new MessageDirectory(dir, new Durability(false));
        files.createMissing();
        Files.writeString(dir.resolve("cur/1600000000.M1P1.host:2,"), "x");
        Files.setLastModifiedTime(dir.resolve("cur"), FileTime.from(BASE));
        files.list();
        assertTrue(files.unchangedSinceListing());
        Files.writeString(dir.resolve("cur/1600000001.M1P1.host:2,"), "y");
        assertTrue(!files.unchangedSinceListing(), "a new file moved the stamp");
        files.list();
        assertTrue(!files.unchangedSinceListing(), "a stamp of this very moment proves nothing");
    }

    private static int kind(Set<SystemFlag> flags) {
        return flags.equals(Set.of(SystemFlag.SEEN)) ? 0
                : flags.equals(Set.of(SystemFlag.FLAGGED, SystemFlag.ANSWERED)) ? 1 : 2;
    }
}
