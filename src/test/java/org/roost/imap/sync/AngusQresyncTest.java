package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageChangedEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.MessageVanishedEvent;
import org.eclipse.angus.mail.imap.ResyncData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * Angus Mail's own CONDSTORE and QRESYNC support against the server: a folder reopened with
 * {@link ResyncData} hears of the messages that vanished and changed meanwhile (it sends ENABLE
 * QRESYNC and SELECT (QRESYNC ...) itself), and {@code getMessagesByUIDChangedSince} finds the change.
 */
class AngusQresyncTest {

    @Test
    void reopenedFolderCatchesUpWithQresync(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir); var raw = CondstoreTest.login(server)) {
            for (int i = 1; i <= 5; i++) {
                raw.append("INBOX", "", ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            var store = (IMAPStore) Session.getInstance(new Properties()).getStore("imap");
            store.connect("127.0.0.1", server.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD);
            assertTrue(store.hasCapability("QRESYNC") && store.hasCapability("CONDSTORE"));
            var folder = (IMAPFolder) store.getFolder("INBOX");
            folder.open(Folder.READ_WRITE, ResyncData.CONDSTORE);
            long uidValidity = folder.getUIDValidity();
            long modseq = folder.getHighestModSeq();
            folder.close(false);

            raw.expectOk("SELECT INBOX");
            raw.expectOk("STORE 2 +FLAGS.SILENT (\\Flagged)");
            raw.expectOk("STORE 4 +FLAGS.SILENT (\\Deleted)");
            raw.expectOk("EXPUNGE");

            var events = folder.open(Folder.READ_WRITE, new ResyncData(uidValidity, modseq));
            long[] vanished = events.stream().filter(e -> e instanceof MessageVanishedEvent)
                    .flatMapToLong(e -> Arrays.stream(((MessageVanishedEvent) e).getUIDs())).toArray();
            assertArrayEquals(new long[] {4}, vanished);
            var changed = events.stream().filter(e -> e instanceof MessageChangedEvent)
                    .map(e -> ((MessageChangedEvent) e).getMessage()).toList();
            assertEquals(1, changed.size(), events.toString());
            assertEquals(2, folder.getUID(changed.getFirst()));
            assertTrue(changed.getFirst().isSet(Flags.Flag.FLAGGED));
            assertTrue(folder.getHighestModSeq() > modseq);

            var since = folder.getMessagesByUIDChangedSince(1, UIDFolder.LASTUID, modseq);
            assertEquals(1, since.length);
            assertEquals(2, folder.getUID(since[0]));
            folder.close(false);
            store.close();
        } catch (MessagingException | IOException e) {
            throw new AssertionError(e);
        }
    }
}
