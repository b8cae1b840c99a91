package org.roost.imap.rfc3501;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/**
 * RFC 3501 §6.3.8 LIST and §6.3.9 LSUB: wildcards, reference names, attributes (RFC 3348 CHILDREN; the special
 * uses of RFC 6154 §2 that the default {@code mailboxes.special} gives Archive and Sent).
 */
class ListLsubTest extends ImapTestBase {
    private RawImapClient c;

    @BeforeEach
    void tree() throws Exception {
        c = login();
        for (var name : new String[] {"Archive", "Archive.2023", "Archive.2024", "Lists.dev.java", "Sent"}) {
            c.expectOk("CREATE " + name);
        }
    }

    private List<String> list(String args) throws Exception {
        var r = c.run("LIST " + args);
        assertEquals(true, r.ok(), r.toString());
        return r.untagged();
    }

    @Test
    void sec6_3_8_starMatchesEverything() throws Exception {
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\Archive \\HasChildren) \".\" Archive",
                "* LIST (\\HasNoChildren) \".\" Archive.2023",
                "* LIST (\\HasNoChildren) \".\" Archive.2024",
                "* LIST (\\Noselect \\HasChildren) \".\" Lists",
                "* LIST (\\Noselect \\HasChildren) \".\" Lists.dev",
                "* LIST (\\HasNoChildren) \".\" Lists.dev.java",
                "* LIST (\\Sent \\HasNoChildren) \".\" Sent"), list("\"\" *"));
    }

    @Test
    void sec6_3_8_percentStopsAtTheDelimiter() throws Exception {
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\Archive \\HasChildren) \".\" Archive",
                "* LIST (\\Noselect \\HasChildren) \".\" Lists",
                "* LIST (\\Sent \\HasNoChildren) \".\" Sent"), list("\"\" %"));
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" Archive.2023",
                "* LIST (\\HasNoChildren) \".\" Archive.2024"), list("\"\" Archive.%"));
        assertEquals(List.of("* LIST (\\Noselect \\HasChildren) \".\" Lists.dev"), list("\"\" Lists.%"));
    }

    @Test
    void sec6_3_8_referenceNameIsPrefixed() throws Exception {
        assertEquals(List.of(
                "* LIST (\\HasNoChildren) \".\" Archive.2023",
                "* LIST (\\HasNoChildren) \".\" Archive.2024"), list("Archive. %"));
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" Lists.dev.java"), list("Lists. *java"));
    }

    @Test
    void sec6_3_8_emptyPatternReturnsDelimiterAndRoot() throws Exception {
        assertEquals(List.of("* LIST (\\Noselect) \".\" \"\""), list("\"\" \"\""));
        assertEquals(List.of("* LIST (\\Noselect) \".\" Archive."), list("Archive.2023 \"\""));
    }

    @Test
    void sec6_3_8_inboxMatchesCaseInsensitively() throws Exception {
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX"), list("\"\" inbox"));
        assertEquals(List.of("* LIST (\\HasNoChildren) \".\" INBOX"), list("\"\" In%"));
    }

    @Test
    void sec6_3_8_noMatchIsJustOk() throws Exception {
        assertEquals(List.of(), list("\"\" Nothing*"));
    }

    @Test
    void sec6_3_8_quotedAndLiteralPatterns() throws Exception {
        assertEquals(List.of("* LIST (\\Sent \\HasNoChildren) \".\" Sent"), list("\"\" \"Se*\""));
        assertEquals(List.of("* LIST (\\Sent \\HasNoChildren) \".\" Sent"), list("\"\" {3+}\r\nSe%"));
    }

    @Test
    void sec6_3_9_lsubListsSubscribedNamesWithNoselectParents() throws Exception {
        c.expectOk("SUBSCRIBE Archive.2024");
        c.expectOk("SUBSCRIBE Sent");
        assertEquals(List.of("* LSUB () \".\" Archive.2024", "* LSUB () \".\" Sent"), c.run("LSUB \"\" *").untagged());
        // §6.3.9: with %, a non-subscribed parent of a subscribed name is \Noselect
        assertEquals(List.of("* LSUB (\\Noselect) \".\" Archive", "* LSUB () \".\" Sent"), c.run("LSUB \"\" %").untagged());
        assertEquals(List.of("* LSUB () \".\" Archive.2024"), c.run("LSUB Archive. %").untagged());
    }
}
