package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RequiredTool;
import org.roost.testing.TestServer;

/**
 * A ManageSieve session's life beyond single commands (kicks, the pre-auth deadline after UNAUTHENTICATE, a home
 * that cannot be used), and scripts other programs wrote: by hand, and by Dovecot's own managesieve.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManageSieveSessionTest {
    @TempDir
    Path dir;

    /** The server with users whose homes are given, on loopback (a secure network: no STARTTLS needed). */
    private TestServer server(Map<String, String> overrides, String... passwdLines) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("passwd"), String.join("\n", passwdLines) + "\n");
        var env = new java.util.HashMap<>(overrides);
        env.put("ROOST_LISTENERS_MANAGESIEVE_ENABLED", "true");
        return TestServer.start(dir, env);
    }

    @Test
    void aKickedSessionGetsByeTryLater() throws IOException {
        try (var server = server(Map.of(), "kim:{PLAIN}secret::::::");
                var client = new ManageSieveTestClient(server.manageSievePort())) {
            assertEquals("OK \"Logged in.\"\r\n", client.login("kim", "secret"));
            assertEquals(1, server.server().sessions().terminateUser("kim", "Kicked by the administrator."));
            assertEquals("BYE (TRYLATER) \"Kicked by the administrator.\"\r\n", client.response());
            assertTrue(client.closedByServer());
        }
    }

    /** RFC 5804 §2.14.1: after UNAUTHENTICATE the client must log in again within the pre-auth time. */
    @Test
    void unauthenticateStartsANewPreAuthDeadline() throws IOException {
        try (var server = server(Map.of("ROOST_LIMITS_PREAUTHTIMEOUT", "1s"), "kim:{PLAIN}secret::::::");
                var client = new ManageSieveTestClient(server.manageSievePort())) {
            assertEquals("OK \"Logged in.\"\r\n", client.login("kim", "secret"));
            assertEquals("OK \"Unauthenticate completed.\"\r\n", client.command("UNAUTHENTICATE"));
            // the deadline's BYE, or the read timeout's when it comes first
            assertTrue(client.response().matches("BYE (\\(TRYLATER\\) )?\"Disconnected for inactivity.\"\r\n"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void aHomeThatCannotBeUsedFailsTheLoginForNow() throws IOException {
        try (var server = server(Map.of(), "rel:{PLAIN}secret::::relative/home::");
                var client = new ManageSieveTestClient(server.manageSievePort())) {
            assertEquals("NO (TRYLATER) \"Unable to open the script store.\"\r\n", client.login("rel", "secret"));
            assertEquals("NO \"LISTSCRIPTS is only valid after authentication.\"\r\n", client.command("LISTSCRIPTS"));
        }
    }

    /**
     * What a user brings from an older setup: scripts put in ~/sieve by hand (one that does not compile), a regular
     * ~/.dovecot.sieve, files that are no scripts. Activating another script keeps the old file as dovecot.orig.
     */
    @Test
    void scriptsOtherProgramsWroteAreListedCheckedAndKept() throws IOException {
        var home = Files.createDirectories(dir.resolve("homes/pat"));
        var scripts = Files.createDirectories(home.resolve("sieve"));
        Files.writeString(scripts.resolve("old.sieve"), "keep;\n");
        Files.writeString(scripts.resolve("broken.sieve"), "keep;\nbogus;\n");
        Files.writeString(scripts.resolve(".hidden.sieve"), "keep;\n");
        Files.writeString(scripts.resolve("notes.txt"), "not a script\n");
        Files.writeString(home.resolve(".dovecot.sieve"), "discard;\n");
        try (var server = server(Map.of(), "pat:{PLAIN}secret::::" + home + "::");
                var client = new ManageSieveTestClient(server.manageSievePort())) {
            assertEquals("OK \"Logged in.\"\r\n", client.login("pat", "secret"));
            assertEquals("\"broken\"\r\n\"old\"\r\nOK \"Listscripts completed.\"\r\n", client.command("LISTSCRIPTS"));
            assertEquals("NO \"line 2: unknown command 'bogus'\"\r\n", client.command("SETACTIVE \"broken\""));
            assertEquals("OK \"Setactive completed.\"\r\n", client.command("SETACTIVE \"old\""));
            assertEquals("\"broken\"\r\n\"dovecot.orig\"\r\n\"old\" ACTIVE\r\nOK \"Listscripts completed.\"\r\n",
                    client.command("LISTSCRIPTS"));
            assertEquals("{9}\r\ndiscard;\n\r\nOK \"Getscript completed.\"\r\n", client.command("GETSCRIPT \"dovecot.orig\""));
        }
    }

    /** Scripts Dovecot's managesieve stored (Pigeonhole's own layout) are Roost's scripts, the active one too. */
    @Test
    void scriptsDovecotStoredAreServed() throws Exception {
        RequiredTool.requireFile("dovecot-managesieved", Path.of("/usr/lib/dovecot/managesieve"));
        var home = Files.createDirectories(dir.resolve("homes/dee"));
        var answers = dovecotManageSieve(home, "PUTSCRIPT \"vacation\" {7+}\r\nkeep;\r\n\r\n"
                + "PUTSCRIPT \"spam\" {46+}\r\nrequire \"fileinto\";\r\nfileinto \"Junk\";\r\nstop;\r\n\r\n"
                + "SETACTIVE \"spam\"\r\nLOGOUT\r\n");
        assertTrue(answers.contains("OK \"Setactive completed.\""), answers);
        try (var server = server(Map.of(), "dee:{PLAIN}secret::::" + home + "::");
                var client = new ManageSieveTestClient(server.manageSievePort())) {
            assertEquals("OK \"Logged in.\"\r\n", client.login("dee", "secret"));
            assertEquals("\"spam\" ACTIVE\r\n\"vacation\"\r\nOK \"Listscripts completed.\"\r\n",
                    client.command("LISTSCRIPTS"));
            assertEquals("{46}\r\nrequire \"fileinto\";\r\nfileinto \"Junk\";\r\nstop;\r\n\r\n"
                    + "OK \"Getscript completed.\"\r\n", client.command("GETSCRIPT \"spam\""));
            assertEquals("OK \"Setactive completed.\"\r\n", client.command("SETACTIVE \"vacation\""));
        }
        var listing = dovecotManageSieve(home, "LISTSCRIPTS\r\nLOGOUT\r\n");
        assertTrue(listing.contains("\"vacation\" ACTIVE\r\n") && listing.contains("\"spam\"\r\n"),
                "Dovecot sees Roost's activation: " + listing);
    }

    /**
     * Debian's managesieve as a pre-authenticated session on pipes, for a user whose home is {@code home}; as root
     * it serves {@code nobody}, who gets the home (and the way to it). Returns what it answered.
     */
    private String dovecotManageSieve(Path home, String commands) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        var user = root ? "nobody" : System.getProperty("user.name");
        var config = Files.writeString(dir.resolve("dovecot.conf"), """
                mail_location = maildir:%s/Maildir
                log_path = %s
                ssl = no
                mail_uid = %s
                mail_gid = %s
                first_valid_uid = 1
                protocols = sieve
                plugin {
                  sieve = file:~/sieve;active=~/.dovecot.sieve
                }
                """.formatted(home, home.resolve("dovecot.log"), user, root ? "nogroup" : user));
        if (root) {
            var open = PosixFilePermissions.fromString("rwxr-xr-x");
            Files.setPosixFilePermissions(dir, open);
            Files.setPosixFilePermissions(home.getParent(), open);
            assertEquals(0, new ProcessBuilder("chown", "-R", "nobody:nogroup", home.toString()).start().waitFor());
        }
        var builder = new ProcessBuilder("/usr/lib/dovecot/managesieve", "-c", config.toString());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("USER", user);
        var dovecot = builder.start();
        try (var in = dovecot.getOutputStream()) {
            in.write(commands.getBytes(StandardCharsets.UTF_8));
        }
        var output = new String(dovecot.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dovecot.waitFor(30, TimeUnit.SECONDS));
        return output;
    }
}
