package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NOTIFY's MailboxName event (RFC 5465 §5.4) for the mailboxes another user makes, renames and deletes in the
 * other users' namespace (#19 item 3), within the rights: a LIST needs {@code l} (RFC 4314 §4), so a mailbox the
 * user could not see is never told of, made or deleted, and the deletion of one they could see is.
 */
@Timeout(60)
class SharedMailboxNameNotifyTest extends SharingUsers {

    SharedMailboxNameNotifyTest() throws IOException {
        super("Subject: names\r\n\r\nbody\r\n");
    }

    @Test
    void theOwnersCreateRenameAndDeleteAreToldWhereTheUserHasLookup() throws IOException {
        try (var owning = server.login(owner); var client = server.login(other)) {
            owning.expectOk("SETACL INBOX " + other + " lr"); // INBOX's children start with its ACL (RFC 4314 §4)
            client.expectOk("NOTIFY SET (SUBTREE Shared (MailboxName))");
            owning.expectOk("CREATE Secret"); // no entry for the other user: not told
            owning.expectOk("CREATE INBOX.Team");
            assertEquals("* LIST (\\HasNoChildren) \".\" " + shared("INBOX.Team"), client.readLine());
            assertEquals("* LIST (\\HasChildren) \".\" " + shared("INBOX"), client.readLine(), "§5.4: and its parent");
            owning.expectOk("RENAME INBOX.Team INBOX.Crew");
            assertEquals("* LIST (\\HasNoChildren) \".\" " + shared("INBOX.Crew") + " (\"OLDNAME\" ("
                    + shared("INBOX.Team") + "))", client.readLine());
            owning.expectOk("DELETE Secret");
            owning.expectOk("DELETE INBOX.Crew");
            assertEquals("* LIST (\\NonExistent) \".\" " + shared("INBOX.Crew"), client.readLine(),
                    "the deletion of what the user could see, not of Secret");
            assertEquals("* LIST (\\HasNoChildren) \".\" " + shared("INBOX"), client.readLine());
            assertEquals(List.of("t OK NOOP completed."), client.command("t", "NOOP"));
        }
    }

    @Test
    void theUsersOwnChangeInTheOwnersMailboxesIsNotToldToTheSessionThatMadeIt() throws IOException {
        try (var owning = server.login(owner); var client = server.login(other); var again = server.login(other)) {
            owning.expectOk("SETACL INBOX " + other + " lrk");
            client.expectOk("NOTIFY SET (SUBTREE Shared (MailboxName))");
            again.expectOk("NOTIFY SET (SUBTREE Shared (MailboxName))");
            client.expectOk("CREATE " + shared("INBOX.Mine"));
            assertEquals("* LIST (\\HasNoChildren) \".\" " + shared("INBOX.Mine"), again.readLine(),
                    "another session of the same user is told");
            assertEquals(List.of("t OK NOOP completed."), client.command("t", "NOOP"), "RFC 5465 §5: not its own");
        }
    }
}
