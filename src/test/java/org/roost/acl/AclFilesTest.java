package org.roost.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code dovecot-acl} files and the global ACL file: Dovecot's syntax, damaged and hostile files, the cache. */
class AclFilesTest {
    private static final Requester FRED = new Requester("fred", Set.of("team"), false);
    private static final Requester OWNER = new Requester("owner", Set.of(), true);
    @TempDir
    Path dir;

    private AclFiles files() {
        return new AclFiles(null, 4096, 100, false);
    }

    private Path mailbox(String name, String acl) throws Exception {
        var folder = Files.createDirectories(dir.resolve(name));
        if (acl != null) {
            Files.writeString(folder.resolve(AclFiles.FILE_NAME), acl);
        }
        return folder;
    }

    @Test
    void readsDovecotsSyntax() throws Exception {
        var folder = mailbox(".Shared", """
                # written by hand
                owner lrwstipekxa
                user=fred lr :write-seen insert
                "user=with space" l
                -user=fred r
                group=team  lrw
                anonymous l

                authenticated\s
                """);
        var acl = files().acl(folder, "Shared");
        assertEquals(Rights.parseImap("lsi"), acl.rightsOf(FRED));
        assertEquals(Rights.parseImap("l"), acl.rightsOf(new Requester("with space", Set.of(), false)));
        assertEquals(Rights.NONE, acl.rightsOf(new Requester("ann", Set.of(), false))); // "authenticated" with nothing
        assertEquals(Rights.ALL, acl.rightsOf(OWNER));
    }

    @Test
    void damagedLinesAreSkippedAndTheRestCounts() throws Exception {
        var folder = mailbox(".Damaged", """
                user=fred lrZ
                "user=unterminated l
                nobody=fred l
                user=fred\u0000 l
                group=team lrx junk
                user=fred lr
                """);
        assertEquals(Rights.parseImap("lr"), files().acl(folder, "Damaged").rightsOf(FRED));
    }

    @Test
    void invalidUtf8MakesALineDamaged() throws Exception {
        var folder = mailbox(".Bytes", null);
        Files.write(folder.resolve(AclFiles.FILE_NAME), new byte[] {'u', 's', 'e', 'r', '=', (byte) 0xC3, ' ', 'l',
                '\n', 'a', 'n', 'y', 'o', 'n', 'e', ' ', 'r', '\n'});
        assertEquals(Rights.parseImap("r"), files().acl(folder, "Bytes").rightsOf(FRED));
    }

    @Test
    void aFileOverTheLimitGivesNobodyAnything() throws Exception {
        var folder = mailbox(".Huge", "anyone lrwstipekxa\n" + "# padding\n".repeat(1000));
        var acl = files().acl(folder, "Huge");
        assertEquals(Rights.NONE, acl.rightsOf(FRED));
        assertEquals(Rights.NONE, acl.rightsOf(OWNER));
    }

    @Test
    void writesAsDovecotWrites() throws Exception {
        var folder = mailbox(".Written", null);
        var files = files();
        var acl = Acl.EMPTY.set(new Identifier.User("fred"), false, Acl.Change.REPLACE, Rights.parseImap("lrswi"))
                .set(new Identifier.User("fred"), true, Acl.Change.REPLACE, Rights.parseImap("w"))
                .set(new Identifier.User("a \"b\""), false, Acl.Change.REPLACE, Rights.NONE)
                .set(new Identifier.Owner(), false, Acl.Change.REPLACE, Rights.ALL)
                .set(new Identifier.Anyone(), false, Acl.Change.REPLACE, Rights.parseImap("l"));
        files.update(folder, "Written", old -> acl);
        assertEquals("""
                anyone l
                owner akxeilprwts
                "user=a \\"b\\"" \n\
                user=fred ilrws
                -user=fred w
                """, Files.readString(folder.resolve(AclFiles.FILE_NAME)));
        assertEquals(acl, files.acl(folder, "Written"));
        assertEquals(Rights.parseImap("lrsi"), files().acl(folder, "Written").rightsOf(FRED));
    }

    @Test
    void aChangeByAnotherProgramIsSeenAndAnUnchangedFileIsNotReadAgain() throws Exception {
        var folder = mailbox(".Cached", "user=fred lr\n");
        var file = folder.resolve(AclFiles.FILE_NAME);
        var files = files();
        assertEquals(Rights.parseImap("lr"), files.acl(folder, "Cached").rightsOf(FRED));
        var stamp = Files.getLastModifiedTime(file);
        // same size, same inode, same time: the cache answers without reading
        Files.writeString(file, "user=fred lw\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.setLastModifiedTime(file, stamp);
        assertEquals(Rights.parseImap("lr"), files.acl(folder, "Cached").rightsOf(FRED));
        Files.writeString(file, "user=fred lwi\n");
        assertEquals(Rights.parseImap("lwi"), files.acl(folder, "Cached").rightsOf(FRED));
        Files.delete(file);
        assertEquals(Rights.NONE, files.acl(folder, "Cached").rightsOf(FRED));
    }

    @Test
    void theGlobalFileAppliesByPatternAndOverrides() throws Exception {
        var global = dir.resolve("global-acl");
        Files.writeString(global, """
                # pattern id rights
                Public* user=fred lr
                "Team Folder" group=team lrwi
                * -anyone x
                broken
                 user=fred l
                """);
        var files = new AclFiles(global, 4096, 100, false);
        var folder = mailbox(".Public", "user=fred lrwstipekxa\n");
        assertEquals(Rights.parseImap("lr"), files.acl(folder, "Public").rightsOf(FRED));
        assertEquals(Rights.parseImap("lrwi"), files.acl(null, "Team Folder").rightsOf(FRED));
        assertEquals(Rights.ALL.minus(Rights.parseImap("x")), files.acl(null, "INBOX").rightsOf(OWNER));
        Files.writeString(global, "* user=fred l\n");
        assertEquals(Rights.parseImap("l"), files.acl(folder, "Public").rightsOf(FRED));
    }

    @Test
    void aNewMailboxInheritsItsParentsEntries() throws Exception {
        var files = files();
        var parent = mailbox(".Team", "user=fred lr\ngroup=team lrwi\n");
        var child = mailbox(".Team.Plans", null);
        files.inherit(parent, child);
        assertEquals(files.acl(parent, "Team").entries(), files.acl(child, "Team/Plans").entries());
        var bare = mailbox(".Bare", null);
        var bareChild = mailbox(".Bare.Child", null);
        files.inherit(bare, bareChild);
        assertFalse(Files.exists(bareChild.resolve(AclFiles.FILE_NAME)));
        assertTrue(Files.exists(child.resolve(AclFiles.FILE_NAME)));
    }

    /** Random bytes and random near-valid lines never throw: each line is an entry or skipped. */
    @Test
    void hostileFilesNeverFail() throws Exception {
        var random = new Random(19);
        var files = files();
        var folder = mailbox(".Hostile", null);
        var pieces = new String[] {"user=", "group=", "-", "\"", "\\", " ", ":", "lr", "x", "owner", "\n", "#",
            "anyone", "\t", "é", "group-override="};
        for (int round = 0; round < 300; round++) {
            var text = new StringBuilder();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            Files.writeString(folder.resolve(AclFiles.FILE_NAME), text, StandardCharsets.UTF_8);
            files.acl(folder, "Hostile").rightsOf(FRED);
            var bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            Files.write(folder.resolve(AclFiles.FILE_NAME), bytes);
            files.acl(folder, "Hostile").rightsOf(OWNER);
        }
    }

    @Test
    @Timeout(30)
    void wildcardsCostNoMoreThanAScan() {
        var name = "a".repeat(20_000);
        assertFalse(Wildcard.matches(name, "*a".repeat(200) + "b"));
        assertTrue(Wildcard.matches(name, "*a*a*"));
        assertTrue(Wildcard.matches("Public/x", "Pub?ic/*"));
        assertFalse(Wildcard.matches("Public", "Public?"));
        assertTrue(Wildcard.matches("", "*"));
    }
}
