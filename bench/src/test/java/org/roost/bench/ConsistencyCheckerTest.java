package org.roost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Feeds the checker right and wrong server transcripts: the wrong ones must be flagged. */
class ConsistencyCheckerTest {

    /** INBOX with UIDs 10, 11, 12 (flags: 10 seen, 11 none, 12 flagged), UIDVALIDITY 7. */
    private static ConsistencyChecker selectedInbox(boolean exclusive) {
        var checker = new ConsistencyChecker(exclusive);
        checker.observe(Exchange.of("SELECT INBOX", "OK [READ-WRITE] done",
                "* FLAGS (\\Seen \\Flagged \\Deleted)", "* 3 EXISTS", "* 0 RECENT",
                "* OK [UIDVALIDITY 7] ok", "* OK [UIDNEXT 13] ok"));
        checker.observe(Exchange.of("UID FETCH 1:* (UID FLAGS)", "OK done",
                "* 1 FETCH (UID 10 FLAGS (\\Seen))", "* 2 FETCH (UID 11 FLAGS ())",
                "* 3 FETCH (UID 12 FLAGS (\\Flagged))"));
        return checker;
    }

    private static void assertClean(ConsistencyChecker checker) {
        assertEquals(List.of(), checker.violations());
    }

    private static void assertFlagged(ConsistencyChecker checker, String words) {
        assertTrue(checker.violationCount() > 0, "expected a violation about '" + words + "'");
        assertTrue(checker.violations().stream().anyMatch(v -> v.contains(words)),
                () -> "no violation mentions '" + words + "': " + checker.violations());
    }

    @Test
    void aCorrectSessionHasNoViolations() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID STORE 11 +FLAGS (\\Deleted)", "OK done", "* 2 FETCH (FLAGS (\\Deleted) UID 11)"));
        checker.observe(Exchange.of("EXPUNGE", "OK done", "* 2 EXPUNGE"));
        checker.observe(Exchange.of("APPEND \"INBOX\" (\\Seen) {100+}", "OK [APPENDUID 7 13] done"));
        checker.observe(Exchange.of("NOOP", "OK done", "* 3 EXISTS"));
        checker.observe(Exchange.of("UID FETCH 13:* (UID FLAGS)", "OK done", "* 3 FETCH (UID 13 FLAGS (\\Seen))"));
        checker.observe(Exchange.of("UID SEARCH UNSEEN", "OK done", "* SEARCH 12"));
        checker.observe(Exchange.of("UID MOVE 12 Archive", "OK done", "* OK [COPYUID 9 12 1] moved", "* 2 EXPUNGE"));
        checker.observe(Exchange.of("UID COPY 10 Archive", "OK [COPYUID 9 10 2] done"));
        assertClean(checker);
        assertEquals(List.of(10L, 13L), checker.knownUids());
    }

    @Test
    void aReusedAppendUidIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("APPEND INBOX {10+}", "OK [APPENDUID 7 12] done"));
        assertFlagged(checker, "reused");
    }

    @Test
    void anExpungedUidComingBackIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("NOOP", "OK done", "* 1 EXPUNGE"));
        checker.observe(Exchange.of("NOOP", "OK done", "* 3 EXISTS"));
        checker.observe(Exchange.of("UID FETCH 11:* (UID FLAGS)", "OK done", "* 3 FETCH (UID 10 FLAGS ())"));
        assertFlagged(checker, "expunged UID 10 is back");
    }

    @Test
    void aCopyUidGoingBackwardsIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("UID COPY 10 Archive", "OK [COPYUID 9 10 5] done"));
        checker.observe(Exchange.of("UID COPY 11 Archive", "OK [COPYUID 9 11 5] done"));
        assertFlagged(checker, "not above UID 5");
    }

    @Test
    void aStoreWhoseFlagsDidNotStickIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("UID STORE 11 +FLAGS (\\Flagged)", "OK done", "* 2 FETCH (UID 11 FLAGS (\\Seen))"));
        assertFlagged(checker, "after adding");
    }

    @Test
    void aRemovedFlagStillReportedIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("UID STORE 10 -FLAGS (\\Seen)", "OK done", "* 1 FETCH (UID 10 FLAGS (\\Seen))"));
        assertFlagged(checker, "still has \\SEEN");
    }

    @Test
    void aStoreWithoutFetchResponseIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("UID STORE 10 +FLAGS (\\Flagged)", "OK done"));
        assertFlagged(checker, "got no FETCH FLAGS");
    }

    @Test
    void aStoreThatChangesNothingMayStaySilent() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID STORE 10 +FLAGS (\\Seen)", "OK done"));
        checker.observe(Exchange.of("UID STORE 11 -FLAGS (\\Flagged)", "OK done"));
        assertClean(checker);
    }

    @Test
    void flagsThatChangeBehindAnExclusiveClientAreFlagged() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID FETCH 1:* (UID FLAGS)", "OK done",
                "* 1 FETCH (UID 10 FLAGS ())", "* 2 FETCH (UID 11 FLAGS ())", "* 3 FETCH (UID 12 FLAGS (\\Flagged))"));
        assertFlagged(checker, "last STORE/FETCH left");
    }

    @Test
    void aLostExpungeIsFlagged() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID STORE 11 +FLAGS (\\Deleted)", "OK done", "* 2 FETCH (UID 11 FLAGS (\\Deleted))"));
        checker.observe(Exchange.of("EXPUNGE", "OK done"));
        assertFlagged(checker, "lost EXPUNGE");
    }

    @Test
    void aDuplicateExpungeIsFlagged() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID STORE 12 +FLAGS (\\Deleted)", "OK done", "* 3 FETCH (UID 12 FLAGS (\\Deleted \\Flagged))"));
        checker.observe(Exchange.of("EXPUNGE", "OK done", "* 3 EXPUNGE", "* 2 EXPUNGE"));
        assertFlagged(checker, "unexpected EXPUNGE of UIDs [11]");
    }

    @Test
    void anExpungeBeyondTheCountIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("NOOP", "OK done", "* 3 EXPUNGE", "* 3 EXPUNGE"));
        assertFlagged(checker, "only 2 messages exist");
    }

    @Test
    void aMoveThatLeavesTheMessageIsFlagged() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID MOVE 11 Archive", "OK [COPYUID 9 11 1] done"));
        assertFlagged(checker, "lost EXPUNGE");
    }

    @Test
    void aShrinkingExistsIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("NOOP", "OK done", "* 2 EXISTS"));
        assertFlagged(checker, "vanished without EXPUNGE");
    }

    @Test
    void aSequenceNumberChangingItsUidIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("UID FETCH 11 (UID FLAGS)", "OK done", "* 2 FETCH (UID 14 FLAGS ())"));
        assertFlagged(checker, "sequence 2 was UID 11");
    }

    @Test
    void uidsOutOfOrderAreFlagged() {
        var checker = new ConsistencyChecker(false);
        checker.observe(Exchange.of("SELECT INBOX", "OK done", "* 2 EXISTS", "* OK [UIDVALIDITY 3] ok"));
        checker.observe(Exchange.of("UID FETCH 1:* (UID)", "OK done", "* 1 FETCH (UID 8)", "* 2 FETCH (UID 5)"));
        assertFlagged(checker, "is not above UID 8");
    }

    @Test
    void aChangedUidValidityIsFlagged() {
        var checker = selectedInbox(false);
        checker.observe(Exchange.of("SELECT INBOX", "OK done", "* 3 EXISTS", "* OK [UIDVALIDITY 8] ok"));
        assertFlagged(checker, "UIDVALIDITY changed");
    }

    @Test
    void unseenSearchMustMatchTheFlags() {
        var checker = selectedInbox(true);
        checker.observe(Exchange.of("UID SEARCH UNSEEN", "OK done", "* SEARCH 11"));
        assertFlagged(checker, "UNSEEN answered [11]");
    }
}
