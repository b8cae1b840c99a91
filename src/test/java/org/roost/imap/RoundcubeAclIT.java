package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.roost.testing.RawImapClient;
import org.roost.testing.Roundcube;
import org.roost.testing.TestServer;

/**
 * A team shares a folder with a standard client (issue 19): alice opens Settings > Folders > Projects in Roundcube
 * (Debian's roundcube-plugins {@code acl} plugin, headless Chromium), adds bob with the "read" rights in its Sharing
 * part and saves; Roundcube sends SETACL. Bob then finds {@code Shared.alice.Projects} in his LIST and reads its
 * message; when alice removes him again in Roundcube (DELETEACL), the folder is gone from his view. Roundcube's IMAP
 * conversation is kept in target/roundcube-acl/imap.log, a screenshot of the Sharing part in
 * target/roundcube-acl/sharing.png.
 */
@Timeout(300)
class RoundcubeAclIT {
    private static final Path OUTPUT = Path.of("target", "roundcube-acl");
    private static final String SHARED = "Shared." + TestServer.ALICE + ".Projects";

    @TempDir
    Path dir;

    @Test
    void aFolderSharedInRoundcubeIsReadByTheOtherUserUntilUnshared() throws Exception {
        try (var server = TestServer.start(dir.resolve("server"))) {
            server.deliver(TestServer.ALICE, "From: alice@example.org\r\nSubject: Quarterly plan\r\n\r\nNumbers.\r\n");
            session(server, TestServer.ALICE, TestServer.ALICE_PASSWORD, "c CREATE Projects", "s SUBSCRIBE Projects",
                    "i SELECT INBOX", "m COPY 1 Projects");
            try (var roundcube = Roundcube.withAcl(dir.resolve("roundcube"), server.imapsPort())) {
                roundcube.login(TestServer.ALICE, TestServer.ALICE_PASSWORD);
                try {
                    openSharing(roundcube);
                    share(roundcube, TestServer.BOB);
                    var acl = session(server, TestServer.ALICE, TestServer.ALICE_PASSWORD, "g GETACL Projects");
                    assertTrue(acl.stream().anyMatch(line -> line.matches("\\* ACL Projects .*\\bbob lrs\\b.*")),
                            acl.toString());
                    var bob = bobReads(server);
                    assertTrue(bob.stream().anyMatch(line -> line.startsWith("* LIST (") && line.endsWith(SHARED)),
                            bob.toString());
                    assertTrue(bob.stream().anyMatch(line -> line.contains("Subject: Quarterly plan")), bob.toString());

                    unshare(roundcube, TestServer.BOB);
                    var after = bobReads(server);
                    assertTrue(after.stream().noneMatch(line -> line.contains(SHARED)), after.toString());
                    assertTrue(after.stream().anyMatch(line -> line.startsWith("x NO ")), after.toString());
                } finally {
                    keep(roundcube);
                }
            }
        }
    }

    /** Bob lists the other users' namespace and reads the shared folder's message (as far as he may). */
    private static List<String> bobReads(TestServer server) throws IOException {
        return session(server, TestServer.BOB, TestServer.BOB_PASSWORD, "l LIST \"\" \"Shared.*\"",
                "x SELECT " + SHARED, "f FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
    }

    /** Settings > Folders > Projects: the folder's page, where the acl plugin adds its Sharing list. */
    private static void openSharing(Roundcube roundcube) {
        var browser = roundcube.browser();
        browser.get(browser.getCurrentUrl().replaceFirst("\\?.*$", "")
                + "?_task=settings&_action=edit-folder&_mbox=Projects&_framed=1");
        roundcube.await(driver -> Boolean.TRUE.equals(roundcube.script(
                "return !!(window.rcmail && rcmail.acl_list && rcmail.commands['acl-create'])")));
        roundcube.awaitIdle();
    }

    /** Add: the user's name, the "read" rights the form checks by default, Save in the dialog. */
    private static void share(Roundcube roundcube, String user) {
        roundcube.script("rcmail.command('acl-create')");
        var name = roundcube.await(driver -> driver.findElement(By.id("acluser")));
        name.clear();
        name.sendKeys(user);
        roundcube.browser().findElement(By.cssSelector(".ui-dialog-buttonpane button.mainaction")).click();
        roundcube.await(driver -> Boolean.TRUE.equals(roundcube.script(
                "return Object.keys(rcmail.acl_list.rows).includes(arguments[0])", user)));
        roundcube.awaitIdle();
    }

    /** Selects the user's row in the Sharing list, Delete, and confirms. */
    private static void unshare(Roundcube roundcube, String user) {
        roundcube.script("rcmail.acl_list.select(arguments[0]); rcmail.command('acl-delete')", user);
        roundcube.await(driver -> driver.findElement(By.cssSelector(".ui-dialog-buttonpane button.mainaction")))
                .click();
        roundcube.await(driver -> Boolean.FALSE.equals(roundcube.script(
                "return Object.keys(rcmail.acl_list.rows).includes(arguments[0])", user)));
        roundcube.awaitIdle();
    }

    /** Keeps what shows how it went: a screenshot, Roundcube's IMAP conversation and its errors. */
    private static void keep(Roundcube roundcube) throws IOException {
        roundcube.screenshot(OUTPUT.resolve("sharing.png"));
        for (var name : List.of("imap.log", "errors.log")) {
            if (Files.exists(roundcube.log(name))) {
                Files.copy(roundcube.log(name), OUTPUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs {@code commands} as {@code user} over IMAP; returns every line of the answers. */
    private static List<String> session(TestServer server, String user, String password, String... commands)
            throws IOException {
        var lines = new ArrayList<String>();
        try (var imap = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            imap.greeting();
            imap.command("l", "LOGIN " + user + " \"" + password + "\"");
            for (var command : commands) {
                int space = command.indexOf(' ');
                lines.addAll(imap.command(command.substring(0, space), command.substring(space + 1)));
            }
        }
        return lines;
    }
}
