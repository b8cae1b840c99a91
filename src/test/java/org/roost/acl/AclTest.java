package org.roost.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rights an ACL gives, by Dovecot's rules, and the changes SETACL and DELETEACL make (RFC 4314 §3). */
class AclTest {
    private static final Requester FRED = new Requester("fred", Set.of("team"), false);
    private static final Requester OWNER = new Requester("owner", Set.of(), true);

    private static Acl acl(String... lines) throws Exception {
        var entries = new ArrayList<AclEntry>();
        for (var line : lines) {
            entries.add(AclLines.parse(line, false));
        }
        return new Acl(entries);
    }

    private static Rights rights(String letters) throws Exception {
        return Rights.parseImap(letters);
    }

    @Test
    void withoutEntriesTheOwnerHasEveryRightAndOthersNone() {
        assertEquals(Rights.ALL, Acl.EMPTY.rightsOf(OWNER));
        assertEquals(Rights.NONE, Acl.EMPTY.rightsOf(FRED));
        assertEquals("lrwstipekxacd", Acl.EMPTY.rightsOf(OWNER).myRightsLetters());
        assertEquals("\"\"", Acl.EMPTY.rightsOf(FRED).myRightsLetters());
    }

    @Test
    void aUsersOwnEntryReplacesAnyonesAndGroups() throws Exception {
        var acl = acl("anyone lr", "group=team lrw", "user=fred l");
        assertEquals(rights("l"), acl.rightsOf(FRED));
        assertEquals(rights("lr"), acl.rightsOf(new Requester("other", Set.of(), false)));
        assertEquals(rights("lrw"), acl.rightsOf(new Requester("mate", Set.of("team"), false)));
    }

    @Test
    void entriesOfSeveralGroupsAddUp() throws Exception {
        var acl = acl("group=a lr", "group=b w");
        assertEquals(rights("lrw"), acl.rightsOf(new Requester("x", Set.of("a", "b"), false)));
    }

    @Test
    void aGroupOverrideWinsOverTheUsersEntry() throws Exception {
        var acl = acl("user=fred lrwi", "group-override=team l");
        assertEquals(rights("l"), acl.rightsOf(FRED));
    }

    @Test
    void negativeRightsAreTakenAwayLast() throws Exception {
        // RFC 4314 §2: "-fred" takes away what "anyone" and fred's own entry give
        var acl = acl("anyone lrw", "user=fred lrwi", "-user=fred wi");
        assertEquals(rights("lr"), acl.rightsOf(FRED));
        var negativeAlone = acl("anyone lrw", "-user=fred w");
        assertEquals(rights("lr"), negativeAlone.rightsOf(FRED));
    }

    @Test
    void theOwnerIsNotBoundByAnyoneOrGroupEntriesOfTheMailbox() throws Exception {
        var acl = acl("anyone l", "group=team r");
        assertEquals(Rights.ALL, acl.rightsOf(new Requester("owner", Set.of("team"), true)));
        assertEquals(rights("lr"), acl("owner lr").rightsOf(OWNER));
        assertEquals(Rights.ALL.minus(rights("x")), acl("-owner x").rightsOf(OWNER));
    }

    @Test
    void globalEntriesOverrideTheMailboxesOwn() throws Exception {
        var entries = new ArrayList<AclEntry>(acl("user=fred lrwi", "-user=fred r").entries());
        entries.add(AclLines.parse("anyone lr", true));
        var acl = new Acl(entries);
        // the first global entry replaces both sides: fred's negative "r" no longer counts
        assertEquals(rights("lr"), acl.rightsOf(FRED));
        var ownerToo = new Acl(List.of(AclLines.parse("anyone l", true)));
        assertEquals(rights("l"), ownerToo.rightsOf(OWNER));
    }

    @Test
    void setaclReplacesAddsAndRemoves() throws Exception {
        // RFC 4314 §3.1's example: "Chris +cda" adds create, delete and the "d" rights to "lrswi"
        var fred = new Identifier.User("Fred");
        var chris = new Identifier.User("Chris");
        var acl = Acl.EMPTY.set(fred, false, Acl.Change.REPLACE, rights("rwipslxetad"))
                .set(chris, false, Acl.Change.REPLACE, rights("lrswi"));
        acl = acl.set(chris, false, Acl.Change.ADD, rights("cda"));
        assertEquals("akxeilrwtscd", acl.find(chris).rights().aclLetters());
        acl = acl.set(chris, false, Acl.Change.REMOVE, rights("cd"));
        assertEquals("ailrws", acl.find(chris).rights().aclLetters());
        assertEquals(rights("ailrws"), acl.rightsOf(new Requester("Chris", Set.of(), false)));
    }

    @Test
    void deleteaclRemovesOneSide() throws Exception {
        // RFC 4314 §3.2's example: DELETEACL Fred leaves "-Fred" and "$team"
        var fred = new Identifier.User("Fred");
        var acl = Acl.EMPTY.set(fred, false, Acl.Change.REPLACE, rights("rwipslxetad"))
                .set(fred, true, Acl.Change.REPLACE, rights("wetd"))
                .set(new Identifier.Group("team"), false, Acl.Change.REPLACE, rights("w"));
        acl = acl.delete(fred, false);
        assertNull(acl.find(fred).rights());
        assertEquals("-user=Fred ewt\ngroup=team w\n", AclLines.format(acl.local()).lines()
                .sorted().reduce("", (a, b) -> a + b + "\n"));
        acl = acl.delete(fred, true);
        assertNull(acl.find(fred));
        assertEquals(1, acl.entries().size());
    }

    @Test
    void removingFromNothingAddsNoEntry() throws Exception {
        assertEquals(Acl.EMPTY, Acl.EMPTY.set(new Identifier.User("x"), false, Acl.Change.REMOVE, rights("l")));
    }

    @Test
    void rightsListsAsRfc4314Section3Says() throws Exception {
        assertThrows(Rights.InvalidRights.class, () -> Rights.parseImap("lrQswicda"));
        var unsupported = assertThrows(Rights.InvalidRights.class, () -> Rights.parseImap("lrqswicda"));
        assertEquals("The q right is not supported", unsupported.getMessage());
        assertEquals(Rights.of(Right.CREATE, Right.DELETE), Rights.parseImap("c"));
        assertEquals(Rights.of(Right.EXPUNGE, Right.WRITE_DELETED), Rights.parseImap("d"));
        assertEquals("lrwstipekxacd", Rights.ALL.myRightsLetters());
        assertEquals("akxeilprwtscd", Rights.ALL.aclLetters());
        assertEquals("akxeilprwts", Rights.ALL.fileLetters());
    }

    @Test
    void identifiersAsClientsWriteThem() {
        assertEquals(new Identifier.Group("team"), Identifier.parseImap("$team"));
        assertEquals(new Identifier.GroupOverride("team"), Identifier.parseImap("!$team"));
        assertEquals(new Identifier.User("fred"), Identifier.parseImap("fred"));
        assertEquals(new Identifier.Anyone(), Identifier.parseImap("anyone"));
        assertThrows(IllegalArgumentException.class, () -> Identifier.parseImap("#anyone"));
        assertThrows(IllegalArgumentException.class, () -> Identifier.parseImap(""));
        assertThrows(IllegalArgumentException.class, () -> Identifier.parseImap("$"));
    }

    /** Any order of the same entries gives the same ACL and the same rights. */
    @Test
    void theOrderOfLinesDoesNotMatter() throws Exception {
        var random = new Random(4314);
        var ids = List.of("anyone", "authenticated", "owner", "user=fred", "user=ann", "group=team", "group=b",
                "group-override=team", "-user=fred", "-anyone", "-group=team");
        var letters = "lrwstipekxa";
        for (int round = 0; round < 500; round++) {
            var lines = new ArrayList<String>();
            int count = 1 + random.nextInt(8);
            for (int i = 0; i < count; i++) {
                var given = new StringBuilder();
                letters.chars().filter(c -> random.nextBoolean()).forEach(c -> given.append((char) c));
                lines.add(ids.get(random.nextInt(ids.size())) + " " + given);
            }
            var acl = acl(lines.toArray(String[]::new));
            java.util.Collections.shuffle(lines, random);
            var shuffled = acl(lines.toArray(String[]::new));
            assertEquals(acl, shuffled);
            for (var who : List.of(FRED, OWNER, new Requester("ann", Set.of("b"), false))) {
                assertEquals(acl.rightsOf(who), shuffled.rightsOf(who));
            }
            var reread = new ArrayList<AclEntry>();
            for (var line : AclLines.format(acl.local()).lines().toList()) {
                reread.add(AclLines.parse(line, false));
            }
            assertEquals(acl, new Acl(reread));
        }
    }

    /** A name with a line end would be a line of its own in the file: "bob\nanyone" must not give anyone rights. */
    @Test
    void identifiersWithControlCharactersAreRefused() {
        for (var name : List.of("bob\nanyone", "bob\r", "bob\u0000", "bob\u007f")) {
            assertThrows(IllegalArgumentException.class, () -> Identifier.parseImap(name), name);
            assertThrows(IllegalArgumentException.class, () -> Identifier.parseFile("user=" + name), name);
            assertThrows(IllegalArgumentException.class, () -> AclChange.of("-group=" + name), name);
        }
        assertEquals(new AclChange(new Identifier.User("bob"), true), AclChange.of("-user=bob"));
        assertEquals("-user=bob", AclChange.of("-user=bob").id());
        assertThrows(IllegalArgumentException.class, () -> AclChange.of("#anyone"));
        assertThrows(IllegalArgumentException.class, () -> AclChange.of("bob"));
    }
}
