package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.roost.storage.mbox.MboxFileCheck;

/**
 * The crash test on mbox, with {@code bin/roost serve} as the child process: messages large enough
 * that an expunge from the middle rewrites megabytes through the journal, so kills land inside
 * rewrites. After every restart the mbox itself is checked too: every message a whole one, with its
 * X-UID, in ascending order under the mailbox's X-IMAPbase, and no journal left behind.
 */
class MboxCrashRecoveryIT extends CrashRecoveryTest {
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @Override
    protected String location() {
        return "mbox:%s/%%u";
    }

    @Override
    protected int maxBody() {
        return 60_000;
    }

    /** More kills: each lands in a rewrite only now and then. */
    @Override
    protected int rounds() {
        return 10;
    }

    @Override
    protected List<String> command(Path config) {
        return List.of(PROJECT.resolve("bin/roost").toString(), "serve", "--config", config.toString());
    }

    @Override
    protected void checkFiles() throws IOException {
        var inbox = dir.resolve("mail/crash/inbox");
        assertTrue(Files.exists(inbox));
        var problems = MboxFileCheck.problems(inbox);
        assertTrue(problems.isEmpty(), problems.toString());
        assertFalse(Files.exists(inbox.resolveSibling(".inbox.roost-journal")), "the interrupted rewrite was finished");
    }
}
