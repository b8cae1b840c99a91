package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** A refresh scans the Maildir only when its change token moved: outside deliveries and renames are seen, nothing else costs a listing. */
class ChangeDetectionTest {
    @TempDir
    Path root;
    private Path inbox;

    @BeforeEach
    void fill() throws IOException {
        var cache = cache();
        var state = cache.open("u", "INBOX");
        for (int i = 0; i < 3; i++) {
            state.append(message("m" + i), Set.of(), Set.of(), Instant.parse("2024-01-0" + (i + 1) + "T00:00:00Z"));
        }
        inbox = root.resolve("u");
        ageStamps();
    }

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)));
    }

    /** Puts every stamp well in the past, so tokens are settled without waiting for the clock. */
    private void ageStamps() throws IOException {
        var old = FileTime.from(Instant.now().minusSeconds(60));
        for (var name : new String[] {"cur", "new", "dovecot-uidlist", "dovecot-keywords"}) {
            var p = inbox.resolve(name);
            if (Files.exists(p)) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }

    private static ByteArrayInputStream message(String subject) {
        return new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void unchangedMailboxIsNotRescanned() throws IOException {
        var state = cache().open("u", "INBOX");
        long scans = state.scans();
        for (int i = 0; i < 5; i++) {
            state.refresh(true);
            state.refresh(false);
        }
        assertEquals(scans, state.scans());
        assertEquals(3, state.current().count());
    }

    @Test
    void deliveryIntoNewIsNoticedAtNextRefresh() throws IOException {
        var state = cache().open("u", "INBOX");
        Files.writeString(inbox.resolve("new/1700000000.M1P1.mta"), "Subject: x\n\nhi\n");
        assertEquals(4, state.refresh(false).count());
    }

    @Test
    void renameInCurIsNoticed() throws IOException {
        var state = cache().open("u", "INBOX");
        try (Stream<Path> files = Files.list(inbox.resolve("cur"))) {
            var file = files.sorted().findFirst().orElseThrow();
            var name = file.getFileName().toString();
            Files.move(file, file.resolveSibling(name.substring(0, name.indexOf(":2,")) + ":2,S"));
        }
        var snapshot = state.refresh(false);
        assertEquals(1, Stream.of(snapshot.messages()).filter(m -> m.flags().contains(SystemFlag.SEEN)).count());
    }

    @Test
    void removalInCurIsNoticed() throws IOException {
        var state = cache().open("u", "INBOX");
        try (Stream<Path> files = Files.list(inbox.resolve("cur"))) {
            Files.delete(files.sorted().findFirst().orElseThrow());
        }
        assertEquals(2, state.refresh(false).count());
    }

    @Test
    void ownWritesDoNotCauseRescans() throws IOException {
        var state = cache().open("u", "INBOX");
        long scans = state.scans();
        var first = state.current().messages()[0];
        state.setFlags(java.util.List.of(new MailboxState.FlagChange(first, Set.of(SystemFlag.SEEN), Set.of())));
        state.append(message("own"), Set.of(), Set.of(), Instant.now());
        state.expunge(java.util.List.of(state.current().messages()[1]));
        state.refresh(true);
        assertEquals(scans, state.scans());
        assertEquals(3, state.current().count());
        // ...while an outside change after them is still seen.
        Files.writeString(inbox.resolve("new/1700000001.M2P2.mta"), "Subject: y\n\nhi\n");
        assertEquals(4, state.refresh(false).count());
        assertTrue(state.scans() > scans);
    }
}
