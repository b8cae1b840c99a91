package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.FlagMode;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * Private flags (Dovecot's INDEXPVT, #19): one user's {@code \Seen} of a mailbox kept apart from the mailbox's, their
 * MODSEQs taken from the mailbox's sequence (RFC 7162 §3.1: never below a MODSEQ the user was shown), kept across a
 * restart, dropped with the messages expunged, and files that are damaged or hostile read as far as they are sound.
 */
class PrivateFlagsTest {
    private static final int SEEN = 1 << SystemFlag.SEEN.ordinal();
    private static final int FLAGGED = 1 << SystemFlag.FLAGGED.ordinal();
    @TempDir
    Path root;
    private final AtomicInteger announced = new AtomicInteger();

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
    }

    private Path file() {
        return root.resolve("viewer").resolve(PrivateFlags.DIRECTORY).resolve("x.pvt");
    }

    private PrivateFlags privateFlags(MailboxState state) throws IOException {
        return state.privateFlags(file(), SEEN, announced::incrementAndGet);
    }

    private static MailboxState withMessages(IndexCache cache, int n) throws IOException {
        var state = cache.open("owner", "INBOX");
        for (int i = 0; i < n; i++) {
            state.append(IndexPersistenceTest.message(i), Set.of(), Set.of(), Instant.parse("2024-02-01T10:00:00Z"));
        }
        return state;
    }

    /** A mailbox of {@code n} messages, closed, and the directory of the private flags file; its UIDVALIDITY. */
    private long closedWithMessages(int n) throws IOException {
        var state = withMessages(cache(), n);
        long validity = state.current().uidValidity();
        state.close();
        Files.createDirectories(file().getParent());
        return validity;
    }

    private static MailboxState.FlagChange add(MailboxView view, int seq, SystemFlag... flags) {
        return new MailboxState.FlagChange(view.message(seq), EnumSet.of(flags[0], flags), Set.of(), FlagMode.ADD);
    }

    @Test
    void aUsersSeenIsTheirOwnAndTheOtherFlagsAreTheMailboxs() throws IOException {
        var state = withMessages(cache(), 3);
        var mine = new MailboxView(state, false, true, privateFlags(state));
        var owners = new MailboxView(state, false, true);

        var result = mine.setFlags(List.of(add(mine, 1, SystemFlag.SEEN, SystemFlag.FLAGGED)), MailboxState.UNCONDITIONAL);
        mine.adopt(result);
        assertEquals(Set.of(SystemFlag.SEEN, SystemFlag.FLAGGED), result.messages().getFirst().flags());
        assertEquals(SEEN | FLAGGED, mine.flagBits(1));
        assertEquals(FLAGGED, state.current().table().flags(0), "the mail has \\Flagged, not this user's \\Seen");
        assertEquals(1, announced.get(), "the user's other sessions are told");

        var ownersChanges = owners.sync(true);
        assertEquals(1, ownersChanges.flagChangedSequences().length);
        assertEquals(FLAGGED, owners.flagBits(1));
        owners.adopt(owners.setFlags(List.of(add(owners, 2, SystemFlag.SEEN), add(owners, 3, SystemFlag.SEEN)),
                MailboxState.UNCONDITIONAL));
        var changes = mine.sync(true);
        assertEquals(0, changes.flagChangedSequences().length, "the owner's \\Seen is not this user's");
        assertEquals(0, mine.flagBits(2));
        assertEquals(2, mine.firstUnseenSequence());
        assertEquals(1, owners.firstUnseenSequence());
        assertEquals(2, state.statusSeenBy(privateFlags(state)).unseen());
        assertEquals(1, state.currentStatus().unseen());
    }

    @Test
    void privateModseqsComeFromTheMailboxsSequenceAndStayBelowItsNextChangeAfterARestart() throws IOException {
        var state = withMessages(cache(), 2);
        var mine = new MailboxView(state, false, true, privateFlags(state));
        long before = state.current().highestModseq();
        var result = mine.setFlags(List.of(add(mine, 1, SystemFlag.SEEN)), MailboxState.UNCONDITIONAL);
        mine.adopt(result);
        long privateModseq = result.updated().getFirst().modseq();
        assertTrue(privateModseq > before);
        assertEquals(privateModseq, mine.modseq(1));
        assertEquals(before, state.current().highestModseq(), "no change of the mailbox for the others");
        assertEquals(privateModseq, state.statusSeenBy(privateFlags(state)).highestModseq());

        state.close();
        var reopened = cache().open("owner", "INBOX");
        assertEquals(SEEN, privateFlags(reopened).current().bits(1));
        var owners = new MailboxView(reopened, false, true);
        var shared = owners.setFlags(List.of(add(owners, 2, SystemFlag.FLAGGED)), MailboxState.UNCONDITIONAL);
        assertTrue(shared.updated().getFirst().modseq() > privateModseq,
                "a shared change after a restart is above the private one: CHANGEDSINCE " + privateModseq
                        + " must find it");
    }

    @Test
    void expungedMessagesLeaveThePrivateFlagsOpenOrNot() throws IOException {
        var cache = cache();
        var state = withMessages(cache, 3);
        var mine = new MailboxView(state, false, true, privateFlags(state));
        mine.adopt(mine.setFlags(List.of(add(mine, 1, SystemFlag.SEEN), add(mine, 2, SystemFlag.SEEN),
                add(mine, 3, SystemFlag.SEEN)), MailboxState.UNCONDITIONAL));
        state.expunge(List.of(state.current().byUid(1)));
        assertEquals(2, privateFlags(state).current().count());
        state.close();

        // expunged while nobody had them open: gone at the next open, and the file written clean
        var outside = cache().open("owner", "INBOX");
        outside.expunge(List.of(outside.current().byUid(2)));
        outside.close();
        var reopened = cache().open("owner", "INBOX");
        var rows = privateFlags(reopened).current();
        assertEquals(1, rows.count());
        assertEquals(SEEN, rows.bits(3));
        assertEquals(PrivateFlags.SIZE * 2L, Files.size(file()), "header and one record");
    }

    @Test
    void damagedFilesAreReadAsFarAsTheyAreSoundAndWrittenClean() throws IOException {
        long validity = closedWithMessages(3);
        var records = new ArrayList<byte[]>();
        records.add(header(validity, SEEN));
        records.add(record(PrivateFlags.SET, 1, SEEN | FLAGGED | 0x7fff_0000L, 5)); // bits beyond the mask
        records.add(record(PrivateFlags.SET, 99, SEEN, 6)); // a message the mailbox does not have
        records.add(record(77, 2, SEEN, 7)); // a record type of no version
        records.add(record(PrivateFlags.SET, 3, SEEN, 8));
        var torn = record(PrivateFlags.SET, 2, SEEN, 9);
        torn[30] ^= 1;
        records.add(torn);
        records.add(record(PrivateFlags.SET, 2, SEEN, 10)); // after the damage: not read
        Files.write(file(), concat(records));

        var reopened = cache().open("owner", "INBOX");
        var rows = privateFlags(reopened).current();
        assertEquals(SEEN, rows.bits(1));
        assertEquals(0, rows.bits(2));
        assertEquals(SEEN, rows.bits(3));
        assertEquals(2, rows.count());
        assertEquals(PrivateFlags.SIZE * 3L, Files.size(file()), "written again with what stood");
    }

    @Test
    void anotherUidValidityOrAnUnreadableHeaderStartsAfresh() throws IOException {
        long validity = closedWithMessages(1);
        for (var head : List.of(header(validity + 1, SEEN), new byte[] {1, 2, 3}, header(validity, SEEN, true))) {
            Files.write(file(), concat(List.of(head, record(PrivateFlags.SET, 1, SEEN, 3))));
            var reopened = cache().open("owner", "INBOX");
            assertEquals(0, privateFlags(reopened).current().count());
            assertEquals(PrivateFlags.SIZE, Files.size(file()));
            reopened.close();
        }
    }

    @Test
    void aLongLogIsReadToItsEndWithinTheMailboxsSizeAndWrittenAgainShort() throws IOException {
        long validity = closedWithMessages(1);
        var records = new ArrayList<byte[]>();
        records.add(header(validity, SEEN));
        for (int i = 1; i <= 100_000; i++) { // 3.2 MB for a mailbox of one message (a log kept before expunges)
            records.add(record(PrivateFlags.SET, i % 1000 == 0 ? 1 : 1000 + i, i % 2 == 0 ? SEEN : 0, i));
        }
        Files.write(file(), concat(records));
        var reopened = cache().open("owner", "INBOX");
        var rows = privateFlags(reopened).current();
        assertEquals(1, rows.count(), "only the message the mailbox holds");
        assertEquals(SEEN, rows.bits(1));
        assertEquals(100_000, rows.modseq(1), "its last record");
        assertEquals(PrivateFlags.SIZE * 2L, Files.size(file()));
    }

    @Test
    void randomBytesNeverStopTheMailboxFromOpening() throws IOException {
        long validity = closedWithMessages(2);
        var random = new Random(19);
        for (int round = 0; round < 200; round++) {
            var bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            if (round % 2 == 0 && bytes.length >= PrivateFlags.SIZE) { // a sound header before the noise
                System.arraycopy(header(validity, SEEN), 0, bytes, 0, PrivateFlags.SIZE);
            }
            Files.write(file(), bytes);
            var reopened = cache().open("owner", "INBOX");
            var rows = privateFlags(reopened).current();
            assertTrue(rows.count() <= 2);
            assertFalse(rows.bits(1) != 0 && rows.bits(1) != SEEN);
            reopened.close();
        }
    }

    private static byte[] header(long validity, int mask) {
        return header(validity, mask, false);
    }

    private static byte[] header(long validity, int mask, boolean badChecksum) {
        var out = ByteBuffer.allocate(PrivateFlags.SIZE);
        out.putInt(PrivateFlags.MAGIC).putInt(PrivateFlags.VERSION).putLong(validity).putInt(mask).putInt(0).putInt(0);
        out.putInt(IndexFormat.crc(out.array(), 0, 28) ^ (badChecksum ? 1 : 0));
        return out.array();
    }

    private static byte[] record(int type, long uid, long bits, long modseq) {
        var out = ByteBuffer.allocate(PrivateFlags.SIZE);
        out.putInt(type).putLong(uid).putLong(bits).putLong(modseq);
        out.putInt(IndexFormat.crc(out.array(), 0, 28));
        return out.array();
    }

    private static byte[] concat(List<byte[]> parts) {
        var out = ByteBuffer.allocate(parts.stream().mapToInt(p -> p.length).sum());
        parts.forEach(out::put);
        return out.array();
    }
}
