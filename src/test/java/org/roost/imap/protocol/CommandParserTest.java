package org.roost.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roost.config.RoostConfig;
import org.roost.imap.ImapCommands;
import org.roost.mail.FlagMode;
import org.roost.mail.FlagSet;
import org.roost.mail.SequenceSet;
import org.roost.mail.SystemFlag;
import org.roost.session.SessionServices;

/**
 * The grammar of every command the server registers (RFC 3501 §9 and the extensions): each wire
 * line to the value it parses to, and each malformed line to the text of its BAD, after which the
 * parser reads the next command.
 */
class CommandParserTest {
    private static final ImapCommands COMMANDS = ImapCommands.standard(new SessionServices(
            RoostConfig.defaults().limits(), List.of(), () -> null, null, List.of(), null, null, null, "localhost"));

    @TempDir
    Path spool;

    static Stream<Arguments> commands() {
        return Stream.of(
                parses("a CAPABILITY", new NoArguments("a", "CAPABILITY")),
                parses("a noop", new NoArguments("a", "NOOP")),
                parses("a LOGOUT", new NoArguments("a", "LOGOUT")),
                parses("a StartTLS", new NoArguments("a", "STARTTLS")),
                parses("a CHECK", new NoArguments("a", "CHECK")),
                parses("a CLOSE", new NoArguments("a", "CLOSE")),
                parses("a UNSELECT", new NoArguments("a", "UNSELECT")),
                parses("a IDLE", new NoArguments("a", "IDLE")),
                parses("a NAMESPACE", new NoArguments("a", "NAMESPACE")),
                parses("a LOGIN alice \"wonder land\"", new Login("a", "alice", ascii("wonder land"))),
                parses("a LOGIN {5+}\r\nalice {2+}\r\npw", new Login("a", "alice", ascii("pw"))),
                parses("a LOGIN \"j\\\"o\" \"p\\\\w\"", new Login("a", "j\"o", ascii("p\\w"))),
                parses("a AUTHENTICATE plain", new Authenticate("a", "PLAIN", Optional.empty())),
                parses("a AUTHENTICATE PLAIN AGFsaWNlAHB3", new Authenticate("a", "PLAIN", Optional.of(ascii("\0alice\0pw")))),
                parses("a AUTHENTICATE PLAIN =", new Authenticate("a", "PLAIN", Optional.of(new byte[0]))),
                parses("a SELECT INBOX", new Select("a", new MailboxName.Valid("INBOX", "INBOX"), false)),
                parses("a EXAMINE inbox", new Select("a", new MailboxName.Valid("inbox", "INBOX"), true)),
                parses("a SELECT &AOQ-", new Select("a", new MailboxName.Valid("&AOQ-", "\u00e4"), false)),
                parses("a SELECT &Jjo", new Select("a", new MailboxName.Undecodable("&Jjo"), false)),
                parses("a CREATE \"A &- B\"", new Create("a", new MailboxName.Valid("A &- B", "A & B"), List.of())),
                parses("a DELETE Old", new Delete("a", valid("Old"))),
                parses("a RENAME Old {3+}\r\nNew", new Rename("a", valid("Old"), valid("New"))),
                parses("a SUBSCRIBE News", new Subscribe("a", valid("News"), true)),
                parses("a UNSUBSCRIBE News", new Subscribe("a", valid("News"), false)),
                parses("a LIST \"\" *", new ListMailboxes("a", "", List.of("*"), false, ListOptions.BASIC)),
                parses("a LIST Work. %", new ListMailboxes("a", "Work.", List.of("%"), false, ListOptions.BASIC)),
                parses("a LSUB \"\" \"Ar*\"", new ListMailboxes("a", "", List.of("Ar*"), true, ListOptions.BASIC)),
                parses("a LIST () \"\" %", new ListMailboxes("a", "", List.of("%"), false,
                        new ListOptions(true, Set.of(), Set.of(), List.of()))),
                parses("a LIST (subscribed RECURSIVEMATCH remote Special-Use) \"\" (\"INBOX\" {2+}\r\nA* %)"
                        + " RETURN (children SUBSCRIBED SPECIAL-USE STATUS (MESSAGES size) STATUS (SIZE DELETED))",
                        new ListMailboxes("a", "", List.of("INBOX", "A*", "%"), false, new ListOptions(true,
                                EnumSet.allOf(ListOptions.Selection.class), EnumSet.allOf(ListOptions.Return.class),
                                List.of(StatusItem.MESSAGES, StatusItem.SIZE, StatusItem.DELETED)))),
                parses("a LIST \"\" * RETURN ()", new ListMailboxes("a", "", List.of("*"), false,
                        new ListOptions(true, Set.of(), Set.of(), List.of()))),
                parses("a CREATE Sent (USE (\\Sent \\junk))",
                        new Create("a", valid("Sent"), List.of("\\Sent", "\\junk"))),
                parses("a CREATE Sent (USE ())", new Create("a", valid("Sent"), List.of())),
                parses("a STATUS INBOX (RECENT messages)",
                        new Status("a", valid("INBOX"), List.of(StatusItem.RECENT, StatusItem.MESSAGES))),
                parses("a STATUS Work (UIDNEXT UIDVALIDITY UNSEEN SIZE HIGHESTMODSEQ)", new Status("a", valid("Work"),
                        List.of(StatusItem.UIDNEXT, StatusItem.UIDVALIDITY, StatusItem.UNSEEN, StatusItem.SIZE,
                                StatusItem.HIGHESTMODSEQ))),
                parses("a STATUS INBOX (deleted DELETED-STORAGE)",
                        new Status("a", valid("INBOX"), List.of(StatusItem.DELETED, StatusItem.DELETED_STORAGE))),
                parses("a GETQUOTA \"User quota\"", new QuotaQuery.GetQuota("a", "User quota")),
                parses("a getquota \"\"", new QuotaQuery.GetQuota("a", "")),
                // RFC 4314 §3's examples
                parses("A001 SeTacl INBOX/Drafts David lrswida", new AclCommand.SetAcl("A001",
                        new MailboxName.Valid("INBOX/Drafts", "INBOX/Drafts"), "David", "lrswida")),
                parses("A002 SETACL INBOX/Drafts Chris +cda", new AclCommand.SetAcl("A002",
                        new MailboxName.Valid("INBOX/Drafts", "INBOX/Drafts"), "Chris", "+cda")),
                parses("B002 DeleteAcl INBOX Fred", new AclCommand.DeleteAcl("B002",
                        new MailboxName.Valid("INBOX", "INBOX"), "Fred")),
                parses("A002 getacl INBOX/Drafts", new AclCommand.GetAcl("A002",
                        new MailboxName.Valid("INBOX/Drafts", "INBOX/Drafts"))),
                parses("a001 LISTRIGHTS ~/Mail/saved smith", new AclCommand.ListRights("a001",
                        new MailboxName.Valid("~/Mail/saved", "~/Mail/saved"), "smith")),
                parses("A003 MYRIGHTS \"Team Stuff\"", new AclCommand.MyRights("A003",
                        new MailboxName.Valid("Team Stuff", "Team Stuff"))),
                parses("a GETQUOTAROOT inbox", new QuotaQuery.GetQuotaRoot("a", new MailboxName.Valid("inbox", "INBOX"))),
                parses("a GETQUOTAROOT &Jjo", new QuotaQuery.GetQuotaRoot("a", new MailboxName.Undecodable("&Jjo"))),
                parses("a EXPUNGE", new Expunge("a", Optional.empty())),
                parses("a UID EXPUNGE 1:3,7", new Expunge("a", Optional.of(SequenceSet.parse("1:3,7")))),
                parses("a SEARCH UNSEEN", new Search("a", false, "US-ASCII", new SearchKey.Flag(SystemFlag.SEEN, false))),
                parses("a UID SEARCH CHARSET utf-8 FROM \"x y\"",
                        new Search("a", true, "UTF-8", new SearchKey.Header("FROM", "x y"))),
                parses("a SEARCH 1:* NOT (DELETED OR SEEN KEYWORD $Work) SINCE 1-Feb-2020",
                        new Search("a", false, "US-ASCII", new SearchKey.And(List.of(
                                new SearchKey.Sequence(SequenceSet.parse("1:*")),
                                new SearchKey.Not(new SearchKey.And(List.of(new SearchKey.Flag(SystemFlag.DELETED, true),
                                        new SearchKey.Or(new SearchKey.Flag(SystemFlag.SEEN, true),
                                                new SearchKey.Keyword("$Work", true))))),
                                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE,
                                        LocalDate.of(2020, 2, 1)))))),
                parses("a FETCH 1 (FLAGS UID)", new Fetch("a", false, SequenceSet.parse("1"),
                        List.of(new FetchItem.Flags(), new FetchItem.Uid()))),
                parses("a UID FETCH 1:* FAST", new Fetch("a", true, SequenceSet.parse("1:*"),
                        List.of(new FetchItem.Flags(), new FetchItem.InternalDate(), new FetchItem.Rfc822Size()))),
                parses("a FETCH 2 BODY.PEEK[1.HEADER.FIELDS (From to)]<0.10>", new Fetch("a", false, SequenceSet.parse("2"),
                        List.of(new FetchItem.Section(true, new int[] {1}, FetchItem.SectionText.HEADER_FIELDS,
                                List.of("FROM", "TO"), 0, 10, null)))),
                parses("a FETCH 3 (RFC822.HEADER BODY BODYSTRUCTURE ENVELOPE)", new Fetch("a", false, SequenceSet.parse("3"),
                        List.of(new FetchItem.Section(true, new int[0], FetchItem.SectionText.HEADER, List.of(),
                                        FetchItem.Section.NO_PARTIAL, FetchItem.Section.NO_PARTIAL, "RFC822.HEADER"),
                                new FetchItem.Structure(false), new FetchItem.Structure(true), new FetchItem.Envelope()))),
                parses("a STORE 1 +FLAGS.SILENT (\\Seen)", new Store("a", false, SequenceSet.parse("1"), FlagMode.ADD, true,
                        new FlagSet(EnumSet.of(SystemFlag.SEEN), Set.of()))),
                parses("a UID STORE 1,5 FLAGS \\Flagged $Work", new Store("a", true, SequenceSet.parse("1,5"),
                        FlagMode.REPLACE, false, new FlagSet(EnumSet.of(SystemFlag.FLAGGED), Set.of("$Work")))),
                parses("a STORE 2 -FLAGS (\\Recent)", new Store("a", false, SequenceSet.parse("2"), FlagMode.REMOVE, false,
                        FlagSet.NONE)),
                parses("a STORE 1 (UNCHANGEDSINCE 0) +FLAGS.SILENT (\\Seen)", new Store("a", false,
                        SequenceSet.parse("1"), FlagMode.ADD, true, new FlagSet(EnumSet.of(SystemFlag.SEEN), Set.of()), 0)),
                parses("a UID STORE 7 (unchangedsince 9223372036854775807) FLAGS ()", new Store("a", true,
                        SequenceSet.parse("7"), FlagMode.REPLACE, false, FlagSet.NONE, Long.MAX_VALUE)),
                parses("a ENABLE condstore X-FOO", new Enable("a", List.of("CONDSTORE", "X-FOO"))),
                parses("a SELECT INBOX (CONDSTORE)", new Select("a", valid("INBOX"), false, true, null)),
                parses("a EXAMINE INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))",
                        new Select("a", valid("INBOX"), true, false, new Select.Qresync(67890007, 20050715194045000L,
                                SequenceSet.parse("41,43:211,214:541"), null, null))),
                parses("a SELECT INBOX (QRESYNC (1 2 (5000,7500 15000,22500)) CONDSTORE)",
                        new Select("a", valid("INBOX"), false, true, new Select.Qresync(1, 2, null,
                                SequenceSet.parse("5000,7500"), SequenceSet.parse("15000,22500")))),
                parses("a SELECT INBOX (QRESYNC (1 2 1:9 (3 4)))", new Select("a", valid("INBOX"), false, false,
                        new Select.Qresync(1, 2, SequenceSet.parse("1:9"), SequenceSet.parse("3"), SequenceSet.parse("4")))),
                parses("a FETCH 1:* (FLAGS MODSEQ) (CHANGEDSINCE 12345)", new Fetch("a", false, SequenceSet.parse("1:*"),
                        List.of(new FetchItem.Flags(), new FetchItem.Modseq()), 12345, false)),
                parses("a UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)", new Fetch("a", true,
                        SequenceSet.parse("300:500"), List.of(new FetchItem.Flags()), 12345, true)),
                parses("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", new Search("a", false, "US-ASCII",
                        new SearchKey.Modseq(620162338))),
                parses("a SEARCH RETURN (MIN COUNT) FLAGGED", new Search("a", false,
                        EnumSet.of(Search.ReturnOption.MIN, Search.ReturnOption.COUNT), "US-ASCII",
                        new SearchKey.Flag(SystemFlag.FLAGGED, true))),
                parses("a UID SEARCH RETURN () CHARSET UTF-8 1:5", new Search("a", true,
                        EnumSet.of(Search.ReturnOption.ALL), "UTF-8", new SearchKey.Sequence(SequenceSet.parse("1:5")))),
                parses("a SEARCH RETURN (SAVE) $ UID $", new Search("a", false, EnumSet.of(Search.ReturnOption.SAVE),
                        "US-ASCII", new SearchKey.And(List.of(new SearchKey.Sequence(SequenceSet.saved()),
                                new SearchKey.Uid(SequenceSet.saved()))))),
                parses("a UID FETCH $ FLAGS", new Fetch("a", true, SequenceSet.saved(), List.of(new FetchItem.Flags()))),
                parses("a SEARCH OLDER 60 YOUNGER 3600", new Search("a", false, "US-ASCII", new SearchKey.And(List.of(
                        new SearchKey.Within(true, 60), new SearchKey.Within(false, 3600))))),
                parses("a UID SEARCH MODSEQ 0", new Search("a", true, "US-ASCII", new SearchKey.Modseq(0))),
                parses("a COPY 1:2 Archive", new Copy("a", false, SequenceSet.parse("1:2"), valid("Archive"), false)),
                parses("a UID COPY 4 Archive", new Copy("a", true, SequenceSet.parse("4"), valid("Archive"), false)),
                parses("a MOVE 1 Trash", new Copy("a", false, SequenceSet.parse("1"), valid("Trash"), true)),
                parses("a UID MOVE 9 Trash", new Copy("a", true, SequenceSet.parse("9"), valid("Trash"), true)),
                parses("a SORT (SUBJECT REVERSE date) UTF-8 SINCE 1-Feb-1994", new Sort("a", false,
                        List.of(new SortCriterion(SortCriterion.Key.SUBJECT, false),
                                new SortCriterion(SortCriterion.Key.DATE, true)), "UTF-8",
                        new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE,
                                LocalDate.of(1994, 2, 1)))),
                parses("a UID SORT (REVERSE ARRIVAL DISPLAYFROM) \"us-ascii\" ALL UNSEEN", new Sort("a", true,
                        List.of(new SortCriterion(SortCriterion.Key.ARRIVAL, true),
                                new SortCriterion(SortCriterion.Key.DISPLAYFROM, false)), "US-ASCII",
                        new SearchKey.And(List.of(new SearchKey.All(), new SearchKey.Flag(SystemFlag.SEEN, false))))),
                parses("a UID SORT RETURN (min COUNT) (DATE) UTF-8 ALL", new Sort("a", true,
                        EnumSet.of(Search.ReturnOption.MIN, Search.ReturnOption.COUNT),
                        List.of(new SortCriterion(SortCriterion.Key.DATE, false)), "UTF-8", new SearchKey.All())),
                parses("a SORT RETURN () (SIZE) UTF-8 ALL", new Sort("a", false, EnumSet.of(Search.ReturnOption.ALL),
                        List.of(new SortCriterion(SortCriterion.Key.SIZE, false)), "UTF-8", new SearchKey.All())),
                parses("a THREAD REFERENCES UTF-8 ALL", new Threading("a", false, Threading.Algorithm.REFERENCES,
                        "UTF-8", new SearchKey.All())),
                parses("a UID THREAD orderedsubject ISO-8859-1 1:5", new Threading("a", true,
                        Threading.Algorithm.ORDEREDSUBJECT, "ISO-8859-1", new SearchKey.Sequence(SequenceSet.parse("1:5")))),
                parses("a UID THREAD refs UTF-8 ALL", new Threading("a", true, Threading.Algorithm.REFS, "UTF-8",
                        new SearchKey.All())),
                // RFC 5464 §5: options before the mailbox; also after it, and bare entries, as its examples send them
                parses("a GETMETADATA (MAXSIZE 1024 DEPTH infinity) \"\" (/shared/Comment \"/private/x y\")",
                        new Metadata.GetMetadata("a", MailboxName.of("", MailboxNaming.MODIFIED_UTF7), 1024, Metadata.Depth.INFINITY,
                                List.of("/shared/comment", "/private/x y"))),
                parses("a getmetadata INBOX (depth 1) (/private/filters/values)", new Metadata.GetMetadata("a",
                        valid("INBOX"), -1, Metadata.Depth.ONE, List.of("/private/filters/values"))),
                parses("a GETMETADATA INBOX /private/comment /shared/comment", new Metadata.GetMetadata("a",
                        valid("INBOX"), -1, Metadata.Depth.ZERO, List.of("/private/comment", "/shared/comment"))),
                parses("a SETMETADATA INBOX (/private/comment NIL /Shared/Vendor/acme/x nil)",
                        new Metadata.SetMetadata("a", valid("INBOX"), nils("/private/comment", "/shared/vendor/acme/x"))),
                parses("a NOTIFY NONE", new Notify("a", false, List.of())),
                parses("a notify set status (selected (MessageNew (uid flags) messageExpunge FlagChange))"
                        + " (subtree (Lists \"A B\") (MessageNew MessageExpunge)) (personal NONE)"
                        + " (mailboxes INBOX (MailboxName SubscriptionChange MailboxMetadataChange X-Other))",
                        new Notify("a", true, List.of(
                                new Notify.EventGroup(new Notify.Filter.Selected(false), Set.of(Notify.Event.MESSAGE_NEW,
                                        Notify.Event.MESSAGE_EXPUNGE, Notify.Event.FLAG_CHANGE),
                                        List.of(new FetchItem.Uid(), new FetchItem.Flags()), List.of()),
                                new Notify.EventGroup(new Notify.Filter.Subtree(List.of(valid("Lists"), valid("A B"))),
                                        Set.of(Notify.Event.MESSAGE_NEW, Notify.Event.MESSAGE_EXPUNGE), List.of(), List.of()),
                                new Notify.EventGroup(new Notify.Filter.Personal(), Set.of(), List.of(), List.of()),
                                new Notify.EventGroup(new Notify.Filter.Mailboxes(List.of(valid("INBOX"))),
                                        Set.of(Notify.Event.MAILBOX_NAME, Notify.Event.SUBSCRIPTION_CHANGE,
                                                Notify.Event.MAILBOX_METADATA_CHANGE), List.of(),
                                        List.of("X-Other"))))),
                parses("a NOTIFY SET (SELECTED-DELAYED (MessageNew MessageExpunge)) (INBOXES (MessageExpunge MessageNew))"
                        + " (SUBSCRIBED (SubscriptionChange))",
                        new Notify("a", false, List.of(
                                new Notify.EventGroup(new Notify.Filter.Selected(true), Set.of(Notify.Event.MESSAGE_NEW,
                                        Notify.Event.MESSAGE_EXPUNGE), List.of(), List.of()),
                                new Notify.EventGroup(new Notify.Filter.Inboxes(), Set.of(Notify.Event.MESSAGE_NEW,
                                        Notify.Event.MESSAGE_EXPUNGE), List.of(), List.of()),
                                new Notify.EventGroup(new Notify.Filter.Subscribed(),
                                        Set.of(Notify.Event.SUBSCRIPTION_CHANGE), List.of(), List.of())))),
                parses("a CANCELUPDATE \"B01\" {3+}\r\nB02", new CancelUpdate("a", List.of("B01", "B02"))),
                parses("a COMPRESS deflate", new Compress("a", "DEFLATE")),
                parses("a UNAUTHENTICATE", new NoArguments("a", "UNAUTHENTICATE")),
                parses("a UID SEARCH RETURN (CONTEXT UPDATE (UID FLAGS) COUNT) DELETED", new Search("a", true,
                        EnumSet.of(Search.ReturnOption.CONTEXT, Search.ReturnOption.UPDATE, Search.ReturnOption.COUNT),
                        null, List.of(new FetchItem.Uid(), new FetchItem.Flags()), "US-ASCII",
                        new SearchKey.Flag(SystemFlag.DELETED, true))),
                parses("a SEARCH RETURN (UPDATE) DELETED", new Search("a", false,
                        EnumSet.of(Search.ReturnOption.UPDATE, Search.ReturnOption.ALL), "US-ASCII",
                        new SearchKey.Flag(SystemFlag.DELETED, true))),
                parses("a ID NIL", new Id("a", List.of())),
                parses("a ID (\"name\" \"x\" \"version\" NIL)", new Id("a", Arrays.asList("name", "x", "version", null))),
                parses("a RESETKEY", new ResetKey("a", Optional.empty(), List.of())),
                parses("a RESETKEY INBOX internal X.1-a", new ResetKey("a", Optional.of(valid("INBOX")),
                        List.of("INTERNAL", "X.1-A"))),
                parses("a GENURLAUTH \"" + URL_RUMP + "\" internal {" + URL_RUMP.length() + "+}\r\n" + URL_RUMP + " X",
                        new GenUrlAuth("a", List.of(new GenUrlAuth.Request(rump(), "INTERNAL"),
                                new GenUrlAuth.Request(rump(), "X")))),
                parses("a URLFETCH \"" + URL_RUMP + ":internal:" + "A".repeat(32) + "\" /INBOX/;UID=1 x",
                        new UrlFetch("a", List.of(new UrlFetch.Request(new ImapUrl.Authorized(URL_RUMP + ":internal:"
                                + "A".repeat(32), rump(), "INTERNAL", "a".repeat(32))),
                                new UrlFetch.Request(ImapUrl.parse("/INBOX/;UID=1", URL_SETTINGS)),
                                new UrlFetch.Request(new ImapUrl.Invalid("x"))))),
                parses("a URLFETCH (x binary BODYPARTSTRUCTURE) (\"y\") ({1}\r\nz BODY)", new UrlFetch("a", List.of(
                        new UrlFetch.Request(new ImapUrl.Invalid("x"),
                                EnumSet.of(UrlFetch.Item.BINARY, UrlFetch.Item.BODYPARTSTRUCTURE)),
                        new UrlFetch.Request(new ImapUrl.Invalid("y")),
                        new UrlFetch.Request(new ImapUrl.Invalid("z"), Set.of(UrlFetch.Item.BODY))))));
    }

    static final String URL_RUMP = "imap://joe@example.com/INBOX/;uid=20/;section=1.2;urlauth=submit+fred";
    static final ParserSettings URL_SETTINGS = new ParserSettings(Path.of("/nonexistent"), 64, 30, 256, 1000, 5, 5, 1024, 3);

    private static UrlRump rump() {
        return UrlRump.parse(URL_RUMP, URL_SETTINGS).orElseThrow();
    }

    private static Arguments parses(String line, Command expected) {
        return Arguments.of(line, expected);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void parsesToTheValue(String line, Command expected) throws Exception {
        var parser = parser(line + "\r\n");
        var parsed = parser.next();
        assertEquals(expected, parsed);
        assertTrue(COMMANDS.grammar().rule(parsed.name()).isPresent(), "routed by its name: " + parsed.name());
    }

    @Test
    void everyRegisteredNameIsCovered() {
        var covered = new HashSet<String>();
        for (var args : commands().toList()) {
            covered.add(((Command) args.get()[1]).name());
        }
        covered.addAll(List.of("APPEND", "REPLACE", "UID REPLACE")); // values holding literals: tested below
        assertEquals(COMMANDS.grammar().rules().keySet(), covered);
    }

    private static MessageLiteral text(AppendMessage message, int part) {
        return ((AppendMessage.Text) message.parts().get(part)).literal();
    }

    /** RFC 4469 §5 and its Appendix A example 1: TEXT literals and URLs, relative to the user's server. */
    @Test
    void catenateReadsTextsAndUrls() throws Exception {
        var append = (Append) parser("A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE"
                + " (URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER\" TEXT {4+}\r\n\r\n--"
                + " URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME\""
                + " URL \"/Drafts/;UID=30/;PARTIAL=10.20\" URL \"imap://bob@elsewhere/INBOX/;UID=1\")\r\n").next();
        var message = append.messages().getFirst();
        assertTrue(message.catenated());
        assertEquals(5, message.parts().size());
        var header = ((ImapUrl.Relative) ((AppendMessage.Url) message.parts().get(0)).url()).part();
        assertEquals(valid("Drafts"), header.mailbox());
        assertEquals(java.util.OptionalLong.of(385759045), header.uidValidity());
        assertEquals(20, header.uid());
        assertEquals("BODY[HEADER]", header.section().responseName());
        assertArrayEquals(ascii("\r\n--"), text(message, 1).open().readAllBytes());
        var mime = ((ImapUrl.Relative) ((AppendMessage.Url) message.parts().get(2)).url()).part();
        assertEquals("BODY[1.MIME]", mime.section().responseName());
        var partial = ((ImapUrl.Relative) ((AppendMessage.Url) message.parts().get(3)).url()).part();
        assertEquals(List.of(10L, 20L, 30L), List.of(partial.offset(), partial.length(), partial.uid()));
        assertEquals(new ImapUrl.Invalid("imap://bob@elsewhere/INBOX/;UID=1"),
                ((AppendMessage.Url) message.parts().get(4)).url(), "another user's URL is a BADURL, not a BAD");
    }

    /** Hostile URLs are values (answered BADURL), never a parse failure or a path outside the grammar. */
    @Test
    void hostileUrlsAreInvalid() {
        var settings = new ParserSettings(Path.of("/nonexistent"), 64, 30, 256, 1000, 5, 5, 1024, 3);
        for (var url : List.of("/INBOX/;UID=0", "/INBOX/;UID=99999999999", "/../etc/;UID=1x", "/INBOX/;UID=1/;SECTION=1.0",
                "/INBOX/;UID=1/;SECTION=BOGUS", "/INBOX/;UID=1/;SECTION=%", "/INBOX/;UID=1/;SECTION=HEADER.FIELDS%20(" + "A%20".repeat(300) + ")",
                "/INBOX;URLAUTH=anonymous/;UID=1", "/INBOX/;UID=1;EXPIRE=2030-01-01T00:00:00Z", "/%C0/;UID=1", "", "/",
                "/IN%+1BOX/;UID=1", "/INBOX%-1/;UID=1", "/IN BOX/;UID=1", "/INBOX%2/;UID=1", "/" + "x".repeat(1100) + "/;UID=1")) {
            assertTrue(ImapUrl.parse(url, settings) instanceof ImapUrl.Invalid, url);
        }
    }

    /** {@code limits.maxCatenateParts} (5 here) bounds one CATENATE before the next part is read. */
    @Test
    void catenateIsBounded() {
        var bad = assertThrows(CommandParser.BadCommand.class, () -> parser(
                "a APPEND x CATENATE (TEXT {1+}\r\n1 TEXT {1+}\r\n2 URL \"/x/;UID=1\" TEXT {1+}\r\n3 TEXT {1+}\r\n4"
                        + " TEXT {1}\r\n").next());
        assertEquals("Too many parts to catenate (at most 5)", bad.getMessage());
        assertThrows(CommandParser.BadCommand.class, () -> parser("a APPEND x CATENATE ()\r\n").next());
        assertThrows(CommandParser.BadCommand.class, () -> parser("a APPEND x CATENATE (FILE \"/etc/passwd\")\r\n").next());
        assertThrows(CommandParser.BadCommand.class,
                () -> parser("a APPEND x CATENATE (CATENATE (TEXT {1+}\r\n1))\r\n").next(), "no CATENATE inside one");
    }

    /** RFC 8508 §5: {@code "REPLACE" SP seq-number SP mailbox append-message}, also as a UID command. */
    @Test
    void replaceReadsTheNumberTheMailboxAndTheMessage() throws Exception {
        var replace = (Replace) parser("a REPLACE 4 Drafts (\\Seen \\Draft) {2+}\r\nhi\r\n").next();
        assertEquals(SequenceSet.parse("4"), replace.message());
        assertEquals(valid("Drafts"), replace.mailbox());
        assertEquals(EnumSet.of(SystemFlag.SEEN, SystemFlag.DRAFT), replace.replacement().flags().system());
        var uid = (Replace) parser("a UID REPLACE * x {1+}\r\n!\r\n").next();
        assertEquals("UID REPLACE", uid.name());
        assertTrue(uid.message().usesStar());
        assertThrows(CommandParser.BadCommand.class, () -> parser("a REPLACE 1:2 x {1+}\r\n!\r\n").next(),
                "one message, not a set");
        assertThrows(CommandParser.BadCommand.class, () -> parser("a REPLACE 1 x {1+}\r\n! {1+}\r\n?\r\n").next(),
                "one message only (RFC 8508 §4.7)");
    }

    @Test
    void appendReadsFlagsDateAndTheLiteral() throws Exception {
        var append = (Append) parser("a APPEND INBOX (\\Seen $Work) \" 8-Feb-1994 05:52:25 +0100\" {5+}\r\nhello\r\n").next();
        assertEquals(valid("INBOX"), append.mailbox());
        var parsed = append.messages().getFirst();
        assertEquals(new FlagSet(EnumSet.of(SystemFlag.SEEN), Set.of("$Work")), parsed.flags());
        assertEquals(Optional.of(ZonedDateTime.parse("1994-02-08T05:52:25+01:00")), parsed.date());
        try (var in = text(parsed, 0).open()) {
            assertArrayEquals(ascii("hello"), in.readAllBytes());
        }
        var bare = ((Append) parser("a APPEND x {2}\r\nhi\r\n").next()).messages().getFirst();
        assertEquals(FlagSet.NONE, bare.flags());
        assertEquals(Optional.empty(), bare.date());
    }

    /** RFC 3502 §6.3.11: {@code 1*append-message}, each with its own flags and date. */
    @Test
    void multiappendReadsEveryMessage() throws Exception {
        var append = (Append) parser("a APPEND x (\\Seen) {2+}\r\nhi \" 7-Feb-1994 22:43:04 -0800\" {3+}\r\nyou {1+}\r\n!\r\n")
                .next();
        assertEquals(3, append.messages().size());
        assertEquals(EnumSet.of(SystemFlag.SEEN), append.messages().get(0).flags().system());
        assertEquals(FlagSet.NONE, append.messages().get(1).flags());
        assertEquals(Optional.of(ZonedDateTime.parse("1994-02-07T22:43:04-08:00")), append.messages().get(1).date());
        try (var in = text(append.messages().get(2), 0).open()) {
            assertArrayEquals(ascii("!"), in.readAllBytes());
        }
    }

    /** {@code limits.maxAppendMessages} (5 here) bounds one MULTIAPPEND; the sixth literal is never asked for. */
    @Test
    void multiappendIsBoundedBeforeTheNextLiteral() {
        var bad = assertThrows(CommandParser.BadCommand.class,
                () -> parser("a APPEND x {1+}\r\n1 {1+}\r\n2 {1+}\r\n3 {1+}\r\n4 {1+}\r\n5 {1}\r\n6\r\n").next());
        assertEquals("Too many messages in one APPEND (at most 5)", bad.getMessage());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                error("a FOO", "a", "Unknown command FOO"),
                error("a UID FOO", "a", "Unknown UID command FOO"),
                error("a UID CREATE x", "a", "Unknown UID command CREATE"),
                error("a", "a", "Expected a space"),
                error("+x NOOP", "*", "Expected a tag"),
                error("a NOOP extra", "a", "Expected end of line"),
                error("a LOGIN alice", "a", "Expected a space"),
                error("a LOGIN alice \"pw", "a", "Unterminated quoted string"),
                error("a LOGIN alice \"p\\w\"", "a", "Only \\\" and \\\\ may be escaped in a quoted string"),
                error("a AUTHENTICATE PLAIN !!!!", "a", "Invalid base64"),
                error("a AUTHENTICATE", "a", "Expected a space"),
                error("a IDLE now", "a", "Expected end of line"),
                error("a EXAMINE", "a", "Expected a space"),
                error("a CREATE", "a", "Expected a space"),
                error("a DELETE \"Old", "a", "Unterminated quoted string"),
                error("a SUBSCRIBE", "a", "Expected a space"),
                error("a UNSUBSCRIBE", "a", "Expected a space"),
                error("a LSUB \"\" (", "a", "Expected a mailbox pattern"),
                error("a UID FETCH 1", "a", "Expected a space"),
                error("a UID STORE 1 +FLAGS", "a", "Expected a space"),
                error("a UID SEARCH", "a", "Expected a space"),
                error("a UID COPY 1", "a", "Expected a space"),
                error("a UID MOVE * ", "a", "Expected an atom"),
                error("a SELECT", "a", "Expected a space"),
                error("a RENAME Old", "a", "Expected a space"),
                error("a LIST \"\"", "a", "Expected a space"),
                error("a LIST \"\" (", "a", "Expected a mailbox pattern"),
                error("a STATUS INBOX (BOGUS)", "a", "Unknown status item BOGUS"),
                error("a STATUS INBOX MESSAGES", "a", "Expected '(' before the status items"),
                error("a STATUS INBOX (MESSAGES", "a", "Expected a space"),
                error("a STATUS INBOX (DELETED_STORAGE)", "a", "Unknown status item DELETED_STORAGE"),
                error("a GETQUOTA", "a", "Expected a space"),
                error("a GETQUOTA a b", "a", "Expected end of line"),
                error("a GETQUOTAROOT", "a", "Expected a space"),
                error("a SETACL INBOX fred", "a", "Expected a space"),
                error("a MYRIGHTS", "a", "Expected a space"),
                error("a SETQUOTA \"User quota\" (STORAGE 10)", "a", "Unknown command SETQUOTA"),
                error("a APPEND INBOX hello", "a", "Expected the message as a literal"),
                error("a APPEND INBOX (\\Seen) \"junk\" {1+}\r\nx", "a", "Invalid date-time: junk"),
                error("a APPEND INBOX (\\Foo) {1+}\r\nx", "a", "Invalid system flag \\Foo"),
                error("a APPEND INBOX \"31-Feb-2020 00:00:00 +0000\" {1+}\r\nx", "a",
                        "Invalid date-time: 31-Feb-2020 00:00:00 +0000"),
                error("a EXPUNGE 1", "a", "Expected end of line"),
                error("a UID EXPUNGE", "a", "Expected a space"),
                error("a SEARCH FOO", "a", "Unknown search key FOO"),
                error("a SEARCH BEFORE 31-Feb-2020", "a", "Invalid date: 31-Feb-2020"),
                error("a SEARCH (SEEN", "a", "Expected ')' after the search keys"),
                error("a SEARCH " + "NOT ".repeat(65) + "SEEN", "a", "Search keys nested too deeply"),
                error("a SEARCH LARGER x", "a", "Expected a number"),
                error("a SORT () UTF-8 ALL", "a", "Expected an atom"),
                error("a SORT (SUBJECT) ALL", "a", "Expected a space"),
                error("a SORT (SUBJECT REVERSE) UTF-8 ALL", "a", "Expected a space"),
                error("a SORT (REVERSE REVERSE DATE) UTF-8 ALL", "a", "Unknown sort criterion REVERSE"),
                error("a UID SORT (MODSEQ) UTF-8 ALL", "a", "Unknown sort criterion MODSEQ"),
                error("a SORT SUBJECT UTF-8 ALL", "a", "Expected '(' before the sort criteria"),
                error("a THREAD REFS2 UTF-8 ALL", "a", "Unknown threading algorithm REFS2"),
                error("a GETMETADATA INBOX /private//x", "a", "Invalid entry name: it must not contain \"//\""),
                error("a GETMETADATA (DEPTH 2) INBOX /private/x", "a", "DEPTH is 0, 1 or infinity"),
                error("a SETMETADATA INBOX (/private \"v\")", "a", "Invalid entry name: it needs a component after /private"),
                error("a SETMETADATA INBOX (/private/x {2+}\r\nab /private/y)", "a", "Expected a space"),
                error("a NOTIFY SET (MAILBOXES (" + "x ".repeat(1000) + "y) (MailboxName))", "a",
                        "Too many mailbox names (at most 1000)"),
                error("a NOTIFY SET (SUBTREE a (MailboxName)) (SUBTREE (" + "x ".repeat(999) + "y) NONE)", "a",
                        "Too many mailbox names (at most 1000)"),
                error("a NOTIFY SET (PERSONAL (MessageNew MessageNew MessageExpunge))", "a", "MessageNew given twice"),
                error("a NOTIFY SET (PERSONAL (MessageNew)", "a", "Expected ')' after an event group"),
                error("a NOTIFY SET (PERSONAL MessageNew)", "a", "Expected '(' before the events, or NONE"),
                error("a NOTIFY SET STATUS", "a", "Expected a space"),
                error("a CANCELUPDATE", "a", "Expected a space"),
                error("a COMPRESS", "a", "Expected a space"),
                error("a CANCELUPDATE B01", "a", "Expected a string"),
                error("a SEARCH RETURN (UPDATE UPDATE) ALL", "a", "Return option UPDATE given twice"),
                error("a THREAD REFERENCES UTF-8", "a", "Expected a space"),
                error("a FETCH x FLAGS", "a", "Expected a sequence set"),
                error("a FETCH 0 FLAGS", "a", "Invalid sequence number 0"),
                error("a FETCH 1 (FOO)", "a", "Unknown fetch attribute FOO"),
                error("a FETCH 1 BODY[MIME]", "a", "MIME needs a part number"),
                error("a FETCH 1 BODY[1.FOO]", "a", "Invalid section FOO"),
                error("a FETCH 1 BODY[]<0.0>", "a", "Partial length must be positive"),
                error("a URLFETCH (x BINARY BODY)", "a", "URLFETCH takes BODY or BINARY, not both"),
                error("a URLFETCH (x FOO)", "a", "Unknown URLFETCH parameter FOO"),
                error("a URLFETCH (x BINARY binary)", "a", "URLFETCH parameter BINARY given twice"),
                error("a URLFETCH (x \"BINARY\")", "a", "Expected an atom"),
                error("a FETCH 1 BODY[HEADER.FIELDS (" + "X ".repeat(256) + "Y)]", "a", "Too many header field names"),
                error("a STORE 1 FLAGS (\\Foo)", "a", "Invalid system flag \\Foo"),
                error("a STORE 1 XFLAGS (\\Seen)", "a", "Expected FLAGS, +FLAGS or -FLAGS"),
                error("a STORE 1 FLAGS", "a", "Expected a space"),
                error("a STORE 1 (UNCHANGEDSINCE 99999999999999999999) FLAGS ()", "a",
                        "Invalid mod-sequence 99999999999999999999"),
                error("a STORE 1 (UNCHANGEDSINCE 9223372036854775808) FLAGS ()", "a",
                        "Invalid mod-sequence 9223372036854775808"),
                error("a STORE 1 (CHANGEDSINCE 5) FLAGS ()", "a", "Unknown store modifier CHANGEDSINCE"),
                error("a ENABLE", "a", "Expected a space"),
                error("a SELECT INBOX ()", "a", "Expected an atom"),
                error("a SELECT INBOX (FOO)", "a", "Unknown select parameter FOO"),
                error("a SELECT INBOX (QRESYNC (0 1))", "a", "UIDVALIDITY must not be 0"),
                error("a SELECT INBOX (QRESYNC (1 -1))", "a", "Expected a mod-sequence"),
                error("a SELECT INBOX (QRESYNC (1 2 1:*))", "a", "'*' and '$' are not allowed here"),
                error("a SELECT INBOX (QRESYNC (1 2 $))", "a", "'*' and '$' are not allowed here"),
                error("a SELECT INBOX (QRESYNC (1 2 1:9 (3)))", "a", "Expected a space"),
                error("a SELECT INBOX (QRESYNC (1 2) QRESYNC (1 2))", "a", "QRESYNC given twice"),
                error("a SELECT INBOX (QRESYNC (1 2 1:9 ))", "a", "Expected '(' before the sequence match data"),
                error("a FETCH 1 FLAGS (CHANGEDSINCE 0)", "a", "Invalid mod-sequence 0"),
                error("a FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)", "a", "VANISHED is a modifier of UID FETCH, once"),
                error("a UID FETCH 1 FLAGS (VANISHED)", "a", "VANISHED needs CHANGEDSINCE"),
                error("a FETCH 1 FLAGS (FOO)", "a", "Unknown fetch modifier FOO"),
                error("a SEARCH RETURN (MIN) (COUNT) ALL", "a", "Unknown search key COUNT"),
                error("a SEARCH RETURN (FIRST) ALL", "a", "Unknown return option FIRST"),
                error("a SEARCH RETURN MIN ALL", "a", "Expected '(' before the return options"),
                error("a SEARCH OLDER 0", "a", "Interval must be at least 1 second"),
                error("a SEARCH YOUNGER 99999999999", "a", "Number out of range"),
                error("a SEARCH MODSEQ \"/foo\" all 1", "a", "Invalid entry name /foo"),
                error("a SEARCH MODSEQ \"/flags/\\\\seen\" some 1", "a", "Invalid entry type some"),
                error("a COPY 1", "a", "Expected a space"),
                error("a LIST (RECURSIVEMATCH) \"\" *", "a", "RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 section 3.1)"),
                error("a LIST (REMOTE RECURSIVEMATCH) \"\" *", "a",
                        "RECURSIVEMATCH needs SUBSCRIBED (RFC 5258 section 3.1)"),
                error("a LIST (FOO) \"\" *", "a", "Unknown LIST selection option FOO"),
                error("a LIST \"\" * RETURN (FOO)", "a", "Unknown LIST return option FOO"),
                error("a LIST \"\" * RETURN (STATUS (FOO))", "a", "Unknown status item FOO"),
                error("a LIST \"\" * FOO (CHILDREN)", "a", "Expected RETURN after the mailbox pattern"),
                error("a LIST \"\" ()", "a", "Expected a mailbox pattern"),
                error("a LIST \"\" (% *", "a", "Expected ')' after the mailbox patterns"),
                error("a CREATE x (FOO (\\Sent))", "a", "Unknown CREATE parameter FOO"),
                error("a CREATE x (USE (Sent))", "a", "Expected a special use such as \\Sent"),
                error("a MOVE x Trash", "a", "Expected a sequence set"),
                error("a ID foo", "a", "Expected a parameter list or NIL"),
                error("a ID (" + "\"k\" \"v\" ".repeat(31).strip() + ")", "a", "Too many ID parameters"));
    }

    private static Arguments error(String line, String tag, String message) {
        return Arguments.of(line, tag, message);
    }

    @ParameterizedTest
    @MethodSource("errors")
    void answersBadAndReadsOn(String line, String tag, String message) throws Exception {
        var parser = parser(line + "\r\nb NOOP\r\n");
        var bad = assertThrows(CommandParser.BadCommand.class, parser::next);
        assertEquals(tag, bad.tag());
        assertEquals(message, bad.getMessage());
        assertEquals(new NoArguments("b", "NOOP"), parser.next(), "the rest of the bad line is skipped");
    }

    /** A synchronizing literal over the limit is refused before the client sends it, so nothing is skipped. */
    @Test
    void aTooBigSynchronizingLiteralIsRefusedUnread() throws Exception {
        var parser = parser("a LOGIN {999999}\r\nb NOOP\r\n");
        var bad = assertThrows(CommandParser.BadCommand.class, parser::next);
        assertEquals("Literal of 999999 bytes is too big", bad.getMessage());
        assertEquals(new NoArguments("b", "NOOP"), parser.next());
    }

    private CommandParser parser(String input) {
        var reader = new ImapReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), () -> { },
                65536, 65536);
        return new CommandParser(reader, COMMANDS.grammar(), new ParserSettings(spool, 64, 30, 256, 1000, 5, 5, 1024, 3));
    }

    /** SETMETADATA's entries, each removed (NIL). */
    private static Map<String, byte[]> nils(String... names) {
        var entries = new LinkedHashMap<String, byte[]>();
        for (var name : names) {
            entries.put(name, null);
        }
        return entries;
    }

    @Test
    void aValueLargerThanTheServerTakesIsRefusedWithoutTheContinuation() throws Exception {
        var max = RoostConfig.defaults().metadata().maxValueSize();
        var input = "a SETMETADATA INBOX (/private/x {" + (max + 1) + "}\r\nb NOOP\r\n";
        var reader = new ImapReader(new ByteArrayInputStream(input.getBytes(StandardCharsets.ISO_8859_1)), () -> {
            throw new AssertionError("no continuation for a value that is refused");
        }, 65536, 1 << 20);
        var parser = new CommandParser(reader, COMMANDS.grammar(), new ParserSettings(spool, 64, 30, 256, 1000, 5, 3, 1024, 3));
        var refused = assertThrows(CommandParser.BadCommand.class, parser::next);
        assertTrue(refused.refused());
        assertEquals("METADATA MAXSIZE " + max, refused.code());
        assertEquals(new NoArguments("b", "NOOP"), parser.next(), "nothing more of the command was read");
    }

    private static MailboxName valid(String name) {
        return new MailboxName.Valid(name, name);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
