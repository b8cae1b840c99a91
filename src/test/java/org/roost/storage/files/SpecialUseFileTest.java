package org.roost.storage.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.SpecialUse;
import org.roost.storage.maildir.MaildirOptions;

/** The file of special uses CREATE gives: its format, and what other programs may leave in it. */
class SpecialUseFileTest {
    @TempDir
    Path dir;

    private SpecialUseFile file() {
        return new SpecialUseFile(dir.resolve("roost-special-use"), '.', name -> {
            if (name.contains("..")) {
                throw new InvalidMailboxNameException("refused: " + name, "refused");
            }
            return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
        }, MaildirOptions.defaults(), new Durability(false));
    }

    @Test
    void writesOneLinePerMailboxInModifiedUtf7() throws Exception {
        var uses = file();
        uses.set("Gesendete Objekte \u00e4", EnumSet.of(SpecialUse.SENT, SpecialUse.ARCHIVE));
        uses.set("Junk", Set.of(SpecialUse.JUNK));
        assertEquals("Gesendete Objekte &AOQ-\t\\Archive \\Sent\nJunk\t\\Junk\n",
                Files.readString(dir.resolve("roost-special-use")));
        uses.set("Junk", Set.of());
        assertEquals(Map.of("Gesendete Objekte \u00e4", EnumSet.of(SpecialUse.SENT, SpecialUse.ARCHIVE)), uses.read());
    }

    @Test
    void aRenameCarriesTheMailboxAndItsInferiorsAndADeleteOnlyTheMailbox() throws Exception {
        var uses = file();
        uses.set("Work", Set.of(SpecialUse.ARCHIVE));
        uses.set("Work.Sent", Set.of(SpecialUse.SENT));
        uses.set("Workshop", Set.of(SpecialUse.DRAFTS));
        uses.renamed("Work", "Job");
        assertEquals(Map.of("Job", Set.of(SpecialUse.ARCHIVE), "Job.Sent", Set.of(SpecialUse.SENT),
                "Workshop", Set.of(SpecialUse.DRAFTS)), uses.read());
        uses.deleted("Job");
        assertEquals(Map.of("Job.Sent", Set.of(SpecialUse.SENT), "Workshop", Set.of(SpecialUse.DRAFTS)), uses.read());
    }

    @Test
    void linesOtherProgramsDamagedAreSkipped() throws Exception {
        Files.writeString(dir.resolve("roost-special-use"), String.join("\n",
                "Sent\t\\Sent", "no tab here", "\t\\Junk", "Bad..Name\t\\Trash", "Virtual\t\\All \\Flagged",
                "Odd\t\\sent  \\Unknown \\junk", "&Jjo\t\\Drafts", "Trailing\t", ""),
                StandardCharsets.UTF_8);
        assertEquals(Map.of("Sent", Set.of(SpecialUse.SENT), "Odd", EnumSet.of(SpecialUse.SENT, SpecialUse.JUNK)),
                file().read());
    }

    @Test
    void randomBytesNeverThrowAndAHugeFileIsReadOnlyToItsBound() throws Exception {
        var random = new Random(6154);
        for (int round = 0; round < 200; round++) {
            var bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            Files.write(dir.resolve("roost-special-use"), bytes);
            file().read(); // skipped or read, never an exception
        }
        var huge = "Sent\t\\Sent\n" + "x".repeat(SpecialUseFile.MAX_BYTES) + "\nJunk\t\\Junk\n";
        Files.writeString(dir.resolve("roost-special-use"), huge);
        var read = file().read();
        assertEquals(Map.of("Sent", Set.of(SpecialUse.SENT)), read);
        assertTrue(huge.length() > SpecialUseFile.MAX_BYTES);
    }
}
