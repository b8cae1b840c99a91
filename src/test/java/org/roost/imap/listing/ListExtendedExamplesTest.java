package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every example of RFC 5258 §5, line for line. What differs is said where it does: the RFC's server has
 * an INBOX marked {@code \Marked \NoInferiors} (Roost marks no mailbox, and a Maildir INBOX may have
 * inferiors, so Roost's INBOX lines are written out), remote mailboxes (Roost has none, so REMOTE adds
 * nothing and the {@code \Remote} lines are left out), and the RFC lists in its own order where Roost sorts
 * by name with INBOX first. Names and delimiters are in the store's form ({@link ListingTestBase#rfc}).
 */
class ListExtendedExamplesTest extends ListingTestBase {

    private void fruitAndVegetables() throws Exception {
        create("Fruit", "Fruit.Apple", "Fruit.Banana", "Tofu", "Vegetable", "Vegetable.Broccoli", "Vegetable.Corn");
        subscribe("inbox", "Fruit.Banana", "Fruit.Peach", "Vegetable", "Vegetable.Broccoli");
    }

    @Test
    void example1_theWholeHierarchy() throws Exception {
        fruitAndVegetables();
        // a plain LIST: Roost also says children, as CHILDREN (RFC 3348, advertised) allows
        assertAnswer("LIST \"\" \"*\"", List.of(
                "* LIST (\\HasNoChildren) \".\" INBOX",
                "* LIST (\\HasChildren) \".\" Fruit",
                "* LIST (\\HasNoChildren) \".\" Fruit.Apple",
                "* LIST (\\HasNoChildren) \".\" Fruit.Banana",
                "* LIST (\\HasNoChildren) \".\" Tofu",
                "* LIST (\\HasChildren) \".\" Vegetable",
                "* LIST (\\HasNoChildren) \".\" Vegetable.Broccoli",
                "* LIST (\\HasNoChildren) \".\" Vegetable.Corn"));
    }

    @Test
    void example2_subscribedNamesEvenNonExistentOnes() throws Exception {
        fruitAndVegetables();
        assertAnswer("LIST (SUBSCRIBED) \"\" \"*\"", inbox("\\Subscribed", rfc(
                "S: * LIST (\\Subscribed) \"/\" \"Fruit/Banana\"",
                "S: * LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable/Broccoli\"")));
    }

    @Test
    void example3_theChildrenOption() throws Exception {
        fruitAndVegetables();
        assertAnswer("LIST () \"\" \"%\" RETURN (CHILDREN)", inbox("\\HasNoChildren", rfc(
                "S: * LIST (\\HasChildren) \"/\" \"Fruit\"",
                "S: * LIST (\\HasNoChildren) \"/\" \"Tofu\"",
                "S: * LIST (\\HasChildren) \"/\" \"Vegetable\"")));
    }

    @Test
    void examples4to6_remoteAddsNothingWithoutRemoteMailboxes() throws Exception {
        fruitAndVegetables();
        assertAnswer("LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)", inbox("\\HasNoChildren", rfc(
                "S: * LIST (\\HasChildren) \"/\" \"Fruit\"",
                "S: * LIST (\\HasNoChildren) \"/\" \"Tofu\"",
                "S: * LIST (\\HasChildren) \"/\" \"Vegetable\"")));
        assertAnswer("LIST (REMOTE SUBSCRIBED) \"\" \"*\"", inbox("\\Subscribed", rfc(
                "S: * LIST (\\Subscribed) \"/\" \"Fruit/Banana\"",
                "S: * LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable/Broccoli\"")));
        assertAnswer("LIST (REMOTE) \"\" \"*\" RETURN (SUBSCRIBED)", inbox("\\Subscribed", rfc(
                "S: * LIST () \"/\" \"Fruit\"",
                "S: * LIST () \"/\" \"Fruit/Apple\"",
                "S: * LIST (\\Subscribed) \"/\" \"Fruit/Banana\"",
                "S: * LIST () \"/\" \"Tofu\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable\"",
                "S: * LIST (\\Subscribed) \"/\" \"Vegetable/Broccoli\"",
                "S: * LIST () \"/\" \"Vegetable/Corn\"")));
    }

    @Test
    void example7_severalPatternsOneResponseEach() throws Exception {
        create("Drafts", "Sent.March2004", "Sent.December2003", "Sent.August2004");
        // the RFC's Drafts is \NoInferiors and Sent/December2003 \Marked; Roost's are neither
        assertAnswer("LIST \"\" (\"INBOX\" \"Drafts\" \"Sent.%\" \"*INBOX\")", rfc(
                "S: * LIST () \"/\" \"INBOX\"",
                "S: * LIST () \"/\" \"Drafts\"",
                "S: * LIST () \"/\" \"Sent/August2004\"",
                "S: * LIST () \"/\" \"Sent/December2003\"",
                "S: * LIST () \"/\" \"Sent/March2004\""));
    }

    @Test
    void example8_childInfoAgainstHasChildren() throws Exception {
        create("Foo", "Foo.Bar", "Foo.Baz", "Moo");
        assertAnswer("LIST \"\" \"%\" RETURN (CHILDREN)", inbox("\\HasNoChildren", rfc(
                "S: * LIST (\\HasChildren) \"/\" \"Foo\"",
                "S: * LIST (\\HasNoChildren) \"/\" \"Moo\"")));
        // B: nothing subscribed
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"", List.of());
        // A: only Foo/Baz
        subscribe("Foo.Baz");
        assertAnswer("LIST (SUBSCRIBED) \"\" \"*\"", rfc("S: * LIST (\\Subscribed) \"/\" \"Foo/Baz\""));
        assertAnswer("LIST (SUBSCRIBED) \"\" \"%\"", List.of());
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"",
                rfc("S: * LIST () \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))"));
        // A1: Foo too
        subscribe("Foo");
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"",
                rfc("S: * LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))"));
        // C: Foo and Moo
        c.expectOk("UNSUBSCRIBE Foo.Baz");
        subscribe("Moo");
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)", rfc(
                "S: * LIST (\\HasChildren \\Subscribed) \"/\" \"Foo\"",
                "S: * LIST (\\HasNoChildren \\Subscribed) \"/\" \"Moo\""));
    }

    @Test
    void example8a2_aParentThatDoesNotExist() throws Exception {
        create("Foo.Bar", "Foo.Baz", "Moo");
        subscribe("Foo.Baz");
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"",
                rfc("S: * LIST (\\NonExistent) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))"));
    }

    @Test
    void example9_childInfoWhetherOrNotChildrenMatch() throws Exception {
        create("foo2", "foo2.bar1", "foo2.bar2", "baz2", "baz2.bar2", "baz2.bar22", "baz2.bar222", "eps2",
                "eps2.mamba", "qux2.bar2");
        subscribe("foo2.bar1", "foo2.bar2", "baz2.bar2", "baz2.bar22", "baz2.bar222", "eps2", "eps2.mamba",
                "qux2.bar2");
        assertAnswer("LIST (SUBSCRIBED) \"\" \"*\"", rfc(
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar22\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar222\"",
                "S: * LIST (\\Subscribed) \"/\" \"eps2\"",
                "S: * LIST (\\Subscribed) \"/\" \"eps2/mamba\"",
                "S: * LIST (\\Subscribed) \"/\" \"foo2/bar1\"",
                "S: * LIST (\\Subscribed) \"/\" \"foo2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"qux2/bar2\""));
        // with the baz2 line the RFC says the server may also send; not the \NonExistent qux2 one
        assertAnswer("LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*2\"", rfc(
                "S: * LIST () \"/\" \"baz2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar22\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar222\"",
                "S: * LIST (\\Subscribed) \"/\" \"eps2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST () \"/\" \"foo2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST (\\Subscribed) \"/\" \"foo2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"qux2/bar2\""));
        assertAnswer("LIST (RECURSIVEMATCH SUBSCRIBED) \"\" \"*\"", rfc(
                "S: * LIST () \"/\" \"baz2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar22\"",
                "S: * LIST (\\Subscribed) \"/\" \"baz2/bar222\"",
                "S: * LIST (\\Subscribed) \"/\" \"eps2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST (\\Subscribed) \"/\" \"eps2/mamba\"",
                "S: * LIST () \"/\" \"foo2\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                "S: * LIST (\\Subscribed) \"/\" \"foo2/bar1\"",
                "S: * LIST (\\Subscribed) \"/\" \"foo2/bar2\"",
                "S: * LIST (\\Subscribed) \"/\" \"qux2/bar2\""));
    }

    @Test
    void example10_childInfoDoesNotImplyHasChildren() throws Exception {
        create("foo");
        subscribe("foo.bar");
        assertAnswer("LIST \"\" (\"foo\" \"foo.*\")", rfc("S: * LIST () \"/\" foo"));
        assertAnswer("LIST (SUBSCRIBED) \"\" \"foo.*\"", rfc("S: * LIST (\\Subscribed \\NonExistent) \"/\" foo/bar"));
        assertAnswer("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" foo RETURN (CHILDREN)",
                rfc("S: * LIST (\\HasNoChildren) \"/\" foo (\"CHILDINFO\" (\"SUBSCRIBED\"))"));
    }

    @Test
    void example11_aMissingParentIsNonExistentWithChildren() throws Exception {
        create("music.rock");
        // the RFC's server has no INBOX; Roost's has
        assertAnswer("LIST (REMOTE) \"\" *", rfc("* LIST () \"/\" INBOX", "S: * LIST () \"/\" music/rock"));
        assertAnswer("LIST () \"\" %", rfc("* LIST () \"/\" INBOX", "S: * LIST (\\NonExistent \\HasChildren) \"/\" music"));
        assertAnswer("LIST (REMOTE) \"\" %", rfc("* LIST () \"/\" INBOX",
                "S: * LIST (\\NonExistent \\HasChildren) \"/\" music"));
        assertAnswer("LIST \"\" (% music.rock)", rfc("* LIST () \"/\" INBOX", "S: * LIST () \"/\" music/rock"));
    }

    @Test
    void anExtendedListIgnoresEmptyPatterns() throws Exception {
        // RFC 5258 §3: no special meaning for "" in an extended LIST, and it matches nothing
        assertAnswer("LIST () \"\" \"\"", List.of());
        assertAnswer("LIST \"\" (\"\" INBOX)", List.of("* LIST () \".\" INBOX"));
    }

    @Test
    void lsubKeepsItsOwnMeaning() throws Exception {
        create("Foo.Bar");
        subscribe("Foo.Bar");
        assertAnswer("LSUB \"\" %", List.of("* LSUB (\\Noselect) \".\" Foo"));
        assertAnswer("LSUB \"\" \"\"", List.of());
        assertAnswer("LSUB Foo.Bar \"\"", List.of("* LSUB () \".\" Foo.Bar"));
    }

    /** The INBOX line Roost sends with {@code attributes}, before {@code rest}. */
    private static List<String> inbox(String attributes, List<String> rest) {
        var lines = new ArrayList<String>();
        lines.add("* LIST (" + attributes + ") \".\" INBOX");
        lines.addAll(rest);
        return lines;
    }

    @Test
    void theLocalFormOnlyChangesDelimiterAndQuoting() {
        assertEquals(List.of("* LIST (\\Subscribed \\NonExistent) \".\" Fruit.Peach",
                        "* LIST () \".\" \"Sent Mail\" (\"CHILDINFO\" (\"SUBSCRIBED\"))", "* STATUS INBOX (MESSAGES 17)"),
                rfc("S: * LIST (\\Subscribed \\NonExistent) \"/\" \"Fruit/Peach\"",
                        "* LIST () \"/\" \"Sent Mail\" (\"CHILDINFO\" (\"SUBSCRIBED\"))",
                        "S: * STATUS \"INBOX\" (MESSAGES 17)"));
    }
}
