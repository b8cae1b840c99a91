package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.index.MailboxEvent.MessageChange;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * A user's mailbox events: what each change publishes, to whom, and that listeners and file watches are
 * counted and let go of (a session that stops listening leaves nothing behind).
 */
@Timeout(60)
class MailboxEventsTest {
    @TempDir
    Path root;

    private IndexCache cache() {
        return new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)));
    }

    private static ByteArrayInputStream message(String subject) {
        return new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void changesAreToldToTheUsersListenersOnly() throws IOException {
        var cache = cache();
        var mine = cache.mailboxes("u");
        var events = new LinkedBlockingQueue<MailboxEvent>();
        var others = new LinkedBlockingQueue<MailboxEvent>();
        var stop = mine.listen(events::add);
        var stopOthers = cache.mailboxes("v").listen(others::add);
        mine.create("Work");
        var state = mine.open("Work");
        var m = state.append(message("a"), Set.of(), Set.of(), Instant.now());
        state.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.SEEN), Set.of())));
        state.expunge(List.of(state.current().byUid(m.uid())));
        mine.subscribe("Work");
        mine.rename("Work", "Play");
        mine.delete("Play");
        assertEquals(List.of(new MailboxEvent.Created("Work", mine),
                new MailboxEvent.MessagesChanged("Work", Set.of(MessageChange.NEW)),
                new MailboxEvent.MessagesChanged("Work", Set.of(MessageChange.FLAGS), 1 << SystemFlag.SEEN.ordinal()),
                new MailboxEvent.MessagesChanged("Work", Set.of(MessageChange.EXPUNGED)),
                new MailboxEvent.SubscriptionChanged("Work", mine),
                new MailboxEvent.Renamed("Work", "Play", mine),
                new MailboxEvent.Deleted("Play", mine)), List.copyOf(events));
        assertTrue(others.isEmpty(), others.toString());
        assertEquals(2, cache.events().listeners());
        stop.run();
        stop.run(); // twice is harmless
        stopOthers.run();
        assertEquals(0, cache.events().listeners());
    }

    @Test
    void aFileDroppedByAnotherProgramIsToldAsItArrives() throws Exception {
        var cache = cache();
        var mailboxes = cache.mailboxes("u");
        mailboxes.open("INBOX").append(message("first"), Set.of(), Set.of(), Instant.now());
        var events = new LinkedBlockingQueue<MailboxEvent>();
        mailboxes.listen(events::add);
        var unwatch = mailboxes.watchOutsideChanges("INBOX");
        var again = mailboxes.watchOutsideChanges("INBOX"); // a second session: the same two directories
        assertEquals(2, cache.externalChanges().directories());
        Files.writeString(root.resolve("u/tmp/1.dropped"), "Subject: dropped\r\n\r\nhi\r\n");
        Files.move(root.resolve("u/tmp/1.dropped"), root.resolve("u/new/1.dropped"));
        assertEquals(new MailboxEvent.MessagesChanged("INBOX", Set.of(MessageChange.NEW)), events.poll(30, TimeUnit.SECONDS));
        unwatch.run();
        assertEquals(2, cache.externalChanges().directories());
        again.run();
        assertEquals(0, cache.externalChanges().directories());
    }
}
