package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** Real clients on the listing extensions: Angus Mail's folder attributes, Python's imaplib, curl. */
class ListingClientsTest extends ListingTestBase {

    @Test
    void angusMailReadsSpecialUseAttributes() throws Exception {
        create("Sent-Mail (USE (\\Sent))", "Trash", "Work", "Work.Drafts (USE (\\Drafts))");
        var props = new Properties();
        props.put("mail.imap.host", "127.0.0.1");
        props.put("mail.imap.port", Integer.toString(server.imapPort()));
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "20000");
        var store = Session.getInstance(props).getStore("imap");
        store.connect(user, TestServer.PASSWORD);
        try {
            assertEquals(List.of("\\Sent", "\\HasNoChildren"), attributes(store.getFolder("Sent-Mail")));
            assertEquals(List.of("\\Trash", "\\HasNoChildren"), attributes(store.getFolder("Trash")));
            assertEquals(List.of("\\HasChildren"), attributes(store.getFolder("Work")));
            var drafts = store.getDefaultFolder().list("*");
            var found = Arrays.stream(drafts).filter(f -> f.getFullName().equals("Work.Drafts")).findFirst().orElseThrow();
            assertEquals(List.of("\\Drafts", "\\HasNoChildren"), attributes(found));
        } finally {
            store.close();
        }
    }

    private static List<String> attributes(Folder folder) throws Exception {
        return List.of(((IMAPFolder) folder).getAttributes());
    }

    @Test
    void imaplibUsesEveryExtension() throws Exception {
        try (var python = PythonScript.start("imap/imaplib_listing.py", Integer.toString(server.imapPort()), user,
                TestServer.PASSWORD)) {
            assertEquals(0, python.exitCode(), python.lines().toString());
            assertEquals(List.of("ok capability", "ok create with a use", "ok create with an unsupported use",
                    "ok list return special-use", "ok list selection special-use", "ok list-status",
                    "ok status size deleted", "ok list subscribed"), python.lines());
        }
    }

    /** curl prints the LIST lines of a custom request; its trace ({@code -v}) shows the STATUS lines too. */
    @Test
    void curlAsksForListStatus() throws Exception {
        create("Archive");
        c.append("Archive", "Subject: curl\r\n\r\nhi\r\n");
        var curl = new ProcessBuilder("curl", "-sv", "--max-time", "20", "-u", user + ":" + TestServer.PASSWORD,
                "imap://127.0.0.1:" + server.imapPort() + "/", "-X",
                "LIST \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN SIZE))").redirectErrorStream(true).start();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl finishes");
        var output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, curl.exitValue(), output);
        var lines = output.lines().toList();
        assertEquals(List.of("< * LIST () \".\" INBOX", "< * STATUS INBOX (MESSAGES 0 UNSEEN 0 SIZE 0)",
                "< * LIST () \".\" Archive", "< * STATUS Archive (MESSAGES 1 UNSEEN 1 SIZE 21)"),
                lines.stream().filter(l -> l.startsWith("< * LIST") || l.startsWith("< * STATUS")).toList());
        assertEquals(List.of("* LIST () \".\" INBOX", "* LIST () \".\" Archive"),
                lines.stream().filter(l -> l.startsWith("* LIST") || l.startsWith("* STATUS")).toList());
    }
}
