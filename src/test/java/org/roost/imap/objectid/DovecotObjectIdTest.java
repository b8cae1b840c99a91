package org.roost.imap.objectid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.objectid.ObjectIdTest.login;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.ObjectIds;
import org.roost.testing.Dovecot;
import org.roost.testing.TestServer;

/**
 * A Maildir Dovecot wrote, served by Roost: MAILBOXID is Dovecot's mailbox GUID (its STATUS X-GUID), EMAILID is
 * made of Dovecot's message GUID (its FETCH X-GUID), the same for the copy Dovecot made; and a copy Roost makes
 * keeps its GUID where Dovecot reads it (the {@code G} field of dovecot-uidlist).
 */
class DovecotObjectIdTest {
    private static final Pattern X_GUID = Pattern.compile("\\* 1 FETCH \\(X-GUID ([^ )]+)\\)");
    private static final Pattern STATUS_GUID = Pattern.compile("\\* STATUS INBOX \\(X-GUID ([0-9a-f]{32})\\)");

    @TempDir
    Path dir;

    @Test
    void dovecotsGuidsAreTheIdsAndRoostsCopiesKeepThemForDovecot() throws Exception {
        var mail = Files.createDirectories(dir.resolve("mail"));
        var dovecot = Dovecot.over(mail, "maildir:" + mail, Files.createDirectories(dir.resolve("dovecot")));
        var written = dovecot.session(List.of(
                new Object[] {"a1 APPEND INBOX", "Subject: one\r\nMessage-ID: <1@x>\r\n\r\nbody\r\n"
                        .getBytes(StandardCharsets.US_ASCII)},
                "a2 CREATE foo", "a3 SELECT INBOX", "a4 COPY 1 foo", "a5 FETCH 1 (X-GUID)", "a6 STATUS INBOX (X-GUID)",
                "a7 LOGOUT"));
        var messageGuid = group(X_GUID, written);
        var mailboxGuid = group(STATUS_GUID, written);
        var emailId = "* 1 FETCH (EMAILID (" + ObjectIds.emailId(messageGuid) + "))";
        try (var server = TestServer.start(dir.resolve("roost"), Map.of("ROOST_MAIL_LOCATION", "maildir:" + mail));
                var c = login(server)) {
            var selected = c.command("1", "select inbox");
            assertTrue(selected.contains("* OK [MAILBOXID (F" + mailboxGuid + ")] Ok"), selected.toString());
            assertEquals(List.of(emailId, "2 OK FETCH completed."), c.command("2", "fetch 1 emailid"));
            c.expectOk("create bar");
            c.expectOk("copy 1 bar");
            c.expectOk("select foo");
            assertEquals(List.of(emailId, "3 OK FETCH completed."), c.command("3", "fetch 1 emailid"), "Dovecot's copy");
            c.expectOk("select bar");
            assertEquals(List.of(emailId, "4 OK FETCH completed."), c.command("4", "fetch 1 emailid"), "Roost's copy");
        }
        var read = dovecot.session(List.of("b1 SELECT bar", "b2 FETCH 1 (X-GUID)", "b3 LOGOUT"));
        assertEquals(messageGuid, group(X_GUID, read), read);
    }

    private static String group(Pattern pattern, String transcript) {
        var m = pattern.matcher(transcript);
        assertTrue(m.find(), transcript);
        return m.group(1);
    }
}
