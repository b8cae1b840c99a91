package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.NotTerm;
import jakarta.mail.search.OrTerm;
import jakarta.mail.search.SubjectTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.mail.mime.DovecotFixtures;
import org.roost.testing.TestServer;

/** The RFC 3501 scenarios through a real client library: Angus Mail (Jakarta Mail's IMAP provider). */
class AngusMailClientTest extends EveryStorageTestBase {
    private Session session;
    private final List<Store> stores = new java.util.ArrayList<>();

    @BeforeEach
    void mailSession() {
        var props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", Integer.toString(server.imapPort()));
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "20000");
        props.put("mail.imap.starttls.enable", "false");
        props.put("mail.debug", System.getProperty("angus.debug", "false"));
        session = Session.getInstance(props);
    }

    @AfterEach
    void closeStores() throws Exception {
        for (var s : stores) {
            s.close();
        }
    }

    private Store store() throws Exception {
        var store = session.getStore("imap");
        store.connect(user, TestServer.PASSWORD);
        stores.add(store);
        return store;
    }

    private MimeMessage parse(byte[] raw) throws Exception {
        return new MimeMessage(session, new ByteArrayInputStream(raw));
    }

    private static byte[] raw(Message m) throws Exception {
        var out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void foldersCreateListRenameDelete() throws Exception {
        var store = store();
        char d = store.getDefaultFolder().getSeparator();
        assertEquals(storage.equals("maildir") ? '.' : '/', d);
        // A parent that holds no messages: an mbox file cannot also hold mailboxes.
        var work = store.getFolder("Work");
        assertTrue(store.getFolder("Work" + d + "Sub").create(Folder.HOLDS_MESSAGES));
        assertTrue(store.getFolder("Entwürfe").create(Folder.HOLDS_MESSAGES));
        var names = Arrays.stream(store.getDefaultFolder().list("*")).map(Folder::getFullName).sorted().toList();
        assertEquals(List.of("Entwürfe", "INBOX", "Work", "Work" + d + "Sub"), names);
        assertEquals(List.of("Sub"), Arrays.stream(work.list()).map(Folder::getName).toList());
        assertTrue(store.getFolder("Work" + d + "Sub").renameTo(store.getFolder("Projects" + d + "Sub")));
        assertTrue(store.getFolder("Projects" + d + "Sub").exists());
        assertFalse(store.getFolder("Work" + d + "Sub").exists());
        assertTrue(store.getFolder("Entwürfe").delete(false));
        work = store.getFolder("Projects");
        work.setSubscribed(true);
        assertEquals(List.of("Projects"), Arrays.stream(store.getDefaultFolder().listSubscribed("*")).map(Folder::getFullName).toList());
    }

    @Test
    void appendAndFetchRoundTripTheBytesOfTheCorpus() throws Exception {
        var store = store();
        var inbox = store.getFolder("INBOX");
        var names = List.of("01-plain", "02-alternative", "03-mixed-attachments", "04-nested-rfc822", "05-rfc2231",
                "10-encoded-words", "18-digest");
        var originals = new java.util.ArrayList<MimeMessage>();
        for (var name : names) {
            originals.add(parse(DovecotFixtures.message(name)));
        }
        inbox.appendMessages(originals.toArray(Message[]::new));
        inbox.open(Folder.READ_ONLY);
        assertEquals(names.size(), inbox.getMessageCount());
        for (int i = 0; i < names.size(); i++) {
            var fetched = inbox.getMessage(i + 1);
            assertArrayEquals(raw(originals.get(i)), raw(fetched), names.get(i));
            assertEquals(originals.get(i).getSubject(), fetched.getSubject(), names.get(i));
            assertEquals(raw(originals.get(i)).length, fetched.getSize(), names.get(i) + ": RFC822.SIZE");
        }
        var mixed = (MimeMultipart) inbox.getMessage(3).getContent();
        var original = (MimeMultipart) originals.get(2).getContent();
        assertEquals(original.getCount(), mixed.getCount());
        for (int p = 0; p < mixed.getCount(); p++) {
            var want = original.getBodyPart(p).getInputStream().readAllBytes();
            var got = mixed.getBodyPart(p).getInputStream().readAllBytes();
            assertArrayEquals(want, got, "decoded part " + p);
            assertEquals(original.getBodyPart(p).getFileName(), mixed.getBodyPart(p).getFileName());
        }
    }

    @Test
    void flagsAndKeywordsPersistAcrossSessions() throws Exception {
        var inbox = store().getFolder("INBOX");
        inbox.appendMessages(new Message[] {parse(bytes(message("one", "1"))), parse(bytes(message("two", "2")))});
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(1).setFlag(Flags.Flag.FLAGGED, true);
        inbox.getMessage(2).setFlags(new Flags("$Label1"), true);
        inbox.getMessage(2).setFlag(Flags.Flag.SEEN, true);
        var other = store().getFolder("INBOX");
        other.open(Folder.READ_ONLY);
        assertTrue(other.getMessage(1).isSet(Flags.Flag.FLAGGED));
        assertFalse(other.getMessage(1).isSet(Flags.Flag.SEEN));
        assertTrue(other.getMessage(2).getFlags().contains("$Label1"));
        assertTrue(other.getMessage(2).isSet(Flags.Flag.SEEN));
        assertTrue(inbox.getPermanentFlags().contains(Flags.Flag.USER), "\\* in PERMANENTFLAGS");
        assertFalse(other.getPermanentFlags().contains(Flags.Flag.USER), "EXAMINE: nothing is permanent");
    }

    @Test
    void searchWithSearchTerms() throws Exception {
        var inbox = store().getFolder("INBOX");
        inbox.appendMessages(new Message[] {parse(bytes(message("quarterly report", "numbers inside"))),
            parse(bytes(message("holiday", "see you in June"))), parse(bytes(message("report draft", "more numbers")))});
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(2).setFlag(Flags.Flag.SEEN, true);
        assertEquals(List.of(1, 3), numbers(inbox.search(new SubjectTerm("report"))));
        assertEquals(List.of(1, 2, 3), numbers(inbox.search(new FromStringTerm("alice@example.com"))));
        assertEquals(List.of(1, 3), numbers(inbox.search(new BodyTerm("numbers"))));
        assertEquals(List.of(2), numbers(inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), true))));
        assertEquals(List.of(1, 2), numbers(inbox.search(new OrTerm(new SubjectTerm("quarterly"), new BodyTerm("June")))));
        assertEquals(List.of(3), numbers(inbox.search(new AndTerm(new SubjectTerm("report"),
                new NotTerm(new SubjectTerm("quarterly"))))));
        assertEquals(List.of(1), numbers(inbox.search(new SubjectTerm("Quarterly Repo"))));
        assertEquals(List.of(2), numbers(inbox.search(new BodyTerm("Jüne".replace("ü", "u")))));
    }

    private static List<Integer> numbers(Message[] messages) {
        return Arrays.stream(messages).map(Message::getMessageNumber).toList();
    }

    @Test
    void copyWithUidsKeepsFlags() throws Exception {
        var store = store();
        store.getFolder("Archive").create(Folder.HOLDS_MESSAGES);
        var inbox = (IMAPFolder) store.getFolder("INBOX");
        inbox.appendMessages(new Message[] {parse(bytes(message("a", "1"))), parse(bytes(message("b", "2")))});
        inbox.open(Folder.READ_WRITE);
        inbox.getMessage(2).setFlag(Flags.Flag.ANSWERED, true);
        var uids = inbox.copyUIDMessages(inbox.getMessages(), store.getFolder("Archive"));
        assertEquals(2, uids.length);
        assertEquals(1, uids[0].uid);
        assertEquals(2, uids[1].uid);
        var archive = (IMAPFolder) store.getFolder("Archive");
        archive.open(Folder.READ_ONLY);
        assertEquals(2, archive.getMessageCount());
        assertTrue(archive.getMessageByUID(2).isSet(Flags.Flag.ANSWERED));
        assertEquals("b", archive.getMessageByUID(2).getSubject());
        assertEquals(inbox.getUIDValidity(), inbox.getUIDValidity());
        assertTrue(((UIDFolder) archive).getUIDNext() >= 3);
    }

    @Test
    void expungeWithTwoSessionsOpen() throws Exception {
        var a = (IMAPFolder) store().getFolder("INBOX");
        a.appendMessages(new Message[] {parse(bytes(message("x1", "1"))), parse(bytes(message("x2", "2"))),
            parse(bytes(message("x3", "3")))});
        a.open(Folder.READ_WRITE);
        var b = (IMAPFolder) store().getFolder("INBOX");
        b.open(Folder.READ_WRITE);
        var removed = new CountDownLatch(1);
        b.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesRemoved(MessageCountEvent e) {
                removed.countDown();
            }
        });
        var bSecond = b.getMessage(2);
        a.getMessage(2).setFlag(Flags.Flag.DELETED, true);
        var expunged = a.expunge();
        assertEquals(1, expunged.length);
        assertEquals(2, a.getMessageCount());
        // b learns of the expunge at its next command
        b.doCommand(protocol -> {
            protocol.noop();
            return null;
        });
        assertTrue(removed.await(10, TimeUnit.SECONDS), "messagesRemoved event from the untagged EXPUNGE");
        assertTrue(bSecond.isExpunged());
        var c = store().getFolder("INBOX");
        c.open(Folder.READ_ONLY);
        assertEquals(2, c.getMessageCount());
        assertEquals("x3", c.getMessage(2).getSubject());
    }

    @Test
    void idleReceivesAppendFromAnotherSession() throws Exception {
        var watcher = (IMAPFolder) store().getFolder("INBOX");
        watcher.open(Folder.READ_WRITE);
        var added = new CountDownLatch(1);
        watcher.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
                added.countDown();
            }
        });
        var idler = Thread.ofVirtual().start(() -> {
            try {
                watcher.idle(true);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(300); // let IDLE start; the append below must arrive while idling
        store().getFolder("INBOX").appendMessages(new Message[] {parse(bytes(message("pushed", "x")))});
        assertTrue(added.await(10, TimeUnit.SECONDS), "EXISTS pushed during IDLE");
        idler.join(10_000);
        assertEquals(1, watcher.getMessageCount());
        assertEquals("pushed", watcher.getMessage(1).getSubject());
    }
}
