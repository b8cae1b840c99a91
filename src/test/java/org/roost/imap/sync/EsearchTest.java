package org.roost.imap.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.roost.imap.sync.CondstoreTest.highestModseq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** ESEARCH (RFC 4731), SEARCHRES (RFC 5182) and WITHIN (RFC 5032) byte for byte, the RFCs' examples among them. */
class EsearchTest {

    @Test
    void resultOptionsAnswerWithOneEsearchLine(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir); var c = CondstoreTest.login(server)) {
            for (int i = 1; i <= 12; i++) {
                var date = i <= 6 ? " \"01-Feb-2020 10:00:00 +0000\"" : "";
                var r = c.append("INBOX", (i % 3 == 0 ? "(\\Flagged)" : "()") + date,
                        ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals(true, r.ok(), r.toString());
            }
            long start = highestModseq(c.expectOk("SELECT INBOX (CONDSTORE)"));
            c.tagged("A282", "SEARCH RETURN (MIN COUNT) FLAGGED");
            assertEquals(List.of("* ESEARCH (TAG \"A283\") MIN 3 COUNT 4", "A283 OK SEARCH completed."),
                    c.command("A283", "SEARCH RETURN (MIN COUNT) FLAGGED"));
            assertEquals(List.of("* ESEARCH (TAG \"A284\") ALL 3,6,9:10,12", "A284 OK SEARCH completed."),
                    c.command("A284", "SEARCH RETURN () OR FLAGGED 10"));
            assertEquals(List.of("* ESEARCH (TAG \"A285\") UID MIN 7 MAX 12", "A285 OK UID SEARCH completed."),
                    c.command("A285", "UID SEARCH RETURN (MIN MAX) 7:5000"));
            // nothing found: COUNT 0, no MIN, MAX or ALL (§3.1)
            assertEquals(List.of("* ESEARCH (TAG \"A286\") COUNT 0", "A286 OK SEARCH completed."),
                    c.command("A286", "SEARCH RETURN (MIN MAX ALL COUNT) DELETED"));
            // with MODSEQ (§3.2): the MODSEQ of what MIN names; of all found with COUNT
            c.expectOk("STORE 2 +FLAGS.SILENT (\\Draft)");
            c.expectOk("STORE 5 +FLAGS.SILENT (\\Draft)");
            assertEquals(List.of("* ESEARCH (TAG \"a1\") MIN 2 MODSEQ " + (start + 1), "a1 OK SEARCH completed."),
                    c.command("a1", "SEARCH RETURN (MIN) MODSEQ \"/flags/\\\\draft\" all " + (start + 1)));
            assertEquals(List.of("* ESEARCH (TAG \"a4\") MIN 2 COUNT 2 MODSEQ " + (start + 2), "a4 OK SEARCH completed."),
                    c.command("a4", "SEARCH RETURN (MIN COUNT) MODSEQ " + (start + 1)));
            // WITHIN: the first six are from 2020, the others from now
            assertEquals(List.of("* ESEARCH (TAG \"w1\") ALL 1:6", "w1 OK SEARCH completed."),
                    c.command("w1", "SEARCH RETURN (ALL) OLDER 86400"));
            assertEquals(List.of("* SEARCH 7 8 9 10 11 12", "w2 OK SEARCH completed."),
                    c.command("w2", "SEARCH YOUNGER 86400"));
        }
    
    }

    @Test
    void savedResultIsUsedByLaterCommandsAndLosesExpungedMessages(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir); var c = CondstoreTest.login(server)) {
            for (int i = 1; i <= 6; i++) {
                c.append("INBOX", i % 2 == 0 ? "(\\Flagged)" : "()",
                        ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            c.expectOk("SELECT INBOX");
            // SAVE alone: no ESEARCH (RFC 5182 example 1); $ then names 2, 4, 6 by UID or sequence number
            assertEquals(List.of("s1 OK SEARCH completed."), c.command("s1", "SEARCH RETURN (SAVE) FLAGGED"));
            assertEquals(List.of("* 2 FETCH (UID 2)", "* 4 FETCH (UID 4)", "* 6 FETCH (UID 6)", "s2 OK FETCH completed."),
                    c.command("s2", "FETCH $ (UID)"));
            assertEquals(List.of("* SEARCH 4 6", "s3 OK UID SEARCH completed."), c.command("s3", "UID SEARCH UID $ 3:*"));
            // the expunged message leaves $ (§2.1)
            c.expectOk("STORE 2 +FLAGS.SILENT (\\Deleted)");
            c.expectOk("EXPUNGE");
            assertEquals(List.of("* ESEARCH (TAG \"s4\") UID ALL 4,6", "s4 OK UID SEARCH completed."),
                    c.command("s4", "UID SEARCH RETURN (ALL) $"));
            // SAVE with MIN keeps only the MIN (§2.4); $ in the same search is the previous result
            assertEquals(List.of("* ESEARCH (TAG \"s5\") MIN 3", "s5 OK SEARCH completed."),
                    c.command("s5", "SEARCH RETURN (SAVE MIN) $"));
            assertEquals(List.of("* SEARCH 4", "s6 OK UID SEARCH completed."), c.command("s6", "UID SEARCH $"));
            // a SAVE answered NO empties it; a BAD leaves it
            assertTrue(c.run("SEARCH RETURN (SAVE) CHARSET KOI8-R ALL").tagged().contains(" NO [BADCHARSET"));
            assertEquals(List.of("s7 OK FETCH completed."), c.command("s7", "FETCH $ (UID)"));
            c.expectOk("SEARCH RETURN (SAVE) ALL");
            assertTrue(c.run("SEARCH RETURN (SAVE) FOO").tagged().contains(" BAD "));
            assertEquals(5, c.command("s8", "FETCH $ (UID)").size() - 1);
            // a new SELECT starts with $ empty
            c.expectOk("SELECT INBOX");
            assertEquals(List.of("s9 OK UID FETCH completed."), c.command("s9", "UID FETCH $ (UID)"));
        }
    }
}
