package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.roost.testing.RawImapClient;
import org.roost.testing.RequiredTool;
import org.roost.testing.Roundcube;
import org.roost.testing.TestServer;

/**
 * Roundcube's managesieve plugin (Debian's {@code roundcube-plugins}) in headless Chromium against Roost's ManageSieve
 * listener: a user creates a filter in Settings > Filters (mail from the boss into the folder Projects) and saves it;
 * {@code sieve-connect} then reads the script Roundcube wrote back from the listener, and an LMTP delivery from the boss
 * lands in Projects while other mail stays in INBOX. Roundcube's ManageSieve conversation is kept in
 * target/roundcube-filters/sieve.log, a screenshot of the saved filter in target/roundcube-filters/filter.png.
 */
@Timeout(300)
class RoundcubeFiltersIT {
    private static final Path OUTPUT = Path.of("target", "roundcube-filters");
    private static final String BOSS = "boss@example.com";

    @TempDir
    Path dir;

    @Test
    void aFilterMadeInRoundcubeFilesTheBossesMailIntoProjects() throws Exception {
        RequiredTool.require("sieve-connect", "sieve-connect");
        try (var server = TestServer.start(dir.resolve("server"), Map.of("ROOST_LISTENERS_MANAGESIEVE_ENABLED", "true",
                "ROOST_LISTENERS_LMTP_ENABLED", "true"))) {
            imap(server, "c CREATE Projects", "s SUBSCRIBE Projects");
            try (var roundcube = Roundcube.withManageSieve(dir.resolve("roundcube"), server.imapsPort(),
                    server.manageSievePort())) {
                roundcube.login(TestServer.ALICE, TestServer.ALICE_PASSWORD);
                try {
                    createFilter(roundcube);
                } finally {
                    keep(roundcube);
                }
            }
            var listing = sieveConnect(server, "--list");
            assertEquals("\"roundcube\" ACTIVE\n", listing, "Roundcube's filter set, activated");
            var script = sieveConnect(server, "--remotesieve", "roundcube", "--download", "--localsieve",
                    dir.resolve("roundcube.sieve").toString());
            var text = Files.readString(dir.resolve("roundcube.sieve"));
            assertTrue(text.contains("# rule:[From the boss]"), text + script);
            assertTrue(text.contains("fileinto \"Projects\";"), text);
            assertTrue(text.contains("\"from\" \"" + BOSS + "\""), text);

            deliver(server, BOSS, "Quarterly plan");
            deliver(server, "friend@example.net", "Lunch?");
            var status = imap(server, "p STATUS Projects (MESSAGES)", "i STATUS INBOX (MESSAGES)");
            assertTrue(status.contains("* STATUS Projects (MESSAGES 1)"), status.toString());
            assertTrue(status.contains("* STATUS INBOX (MESSAGES 1)"), status.toString());
        }
    }

    /** Settings > Filters > Create: name, "From contains boss", "Move message to Projects", Save. */
    private static void createFilter(Roundcube roundcube) {
        var browser = roundcube.browser();
        browser.get(browser.getCurrentUrl().replaceFirst("\\?.*$", "") + "?_task=settings&_action=plugin.managesieve");
        roundcube.await(driver -> Boolean.TRUE.equals(roundcube.script("return !!(window.rcmail && rcmail.filters_list)")));
        roundcube.click("#layout-content a.create");
        roundcube.await(driver -> {
            driver.switchTo().defaultContent();
            driver.switchTo().frame("filter-box");
            return driver.findElement(By.id("_name"));
        });
        browser.findElement(By.id("_name")).sendKeys("From the boss");
        new Select(browser.findElement(By.id("header0"))).selectByValue("from");
        new Select(browser.findElement(By.id("rule_op0"))).selectByValue("contains");
        var target = browser.findElements(By.cssSelector("[name^='_rule_target[0]']")).stream()
                .filter(element -> element.isDisplayed()).findFirst().orElseThrow();
        target.sendKeys(BOSS);
        new Select(browser.findElement(By.id("action_type0"))).selectByValue("fileinto");
        new Select(browser.findElement(By.id("action_mailbox0"))).selectByValue("Projects");
        browser.findElement(By.cssSelector(".formbuttons button.submit")).click();
        browser.switchTo().defaultContent();
        roundcube.await(driver -> Boolean.TRUE.equals(roundcube.script(
                "return rcmail.filters_list.rowcount === 1")));
        roundcube.awaitIdle();
    }

    /** Keeps what shows how it went: a screenshot, Roundcube's ManageSieve conversation and its errors. */
    private static void keep(Roundcube roundcube) throws IOException {
        roundcube.screenshot(OUTPUT.resolve("filter.png"));
        for (var name : List.of("sieve.log", "errors.log")) {
            if (Files.exists(roundcube.log(name))) {
                Files.copy(roundcube.log(name), OUTPUT.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Runs {@code commands} as alice over IMAP; returns every line of the answers. */
    private static List<String> imap(TestServer server, String... commands) throws IOException {
        var lines = new ArrayList<String>();
        try (var imap = RawImapClient.connect("127.0.0.1", server.imapPort())) {
            imap.greeting();
            imap.command("l", "LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"");
            for (var command : commands) {
                int space = command.indexOf(' ');
                lines.addAll(imap.command(command.substring(0, space), command.substring(space + 1)));
            }
        }
        return lines;
    }

    private static String sieveConnect(TestServer server, String... args) throws Exception {
        var command = new ArrayList<>(List.of("sieve-connect", "--server", "127.0.0.1", "--port",
                Integer.toString(server.manageSievePort()), "--user", TestServer.ALICE, "--passwordfd", "0",
                "--notlsverify"));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write((TestServer.ALICE_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "sieve-connect did not finish");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static void deliver(TestServer server, String sender, String subject) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.lmtpPort())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            var in = socket.getInputStream();
            out.write(("LHLO mta.example.net\r\nMAIL FROM:<" + sender + ">\r\nRCPT TO:<alice@example.org>\r\nDATA\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 5; i++) { // greeting, LHLO, MAIL, RCPT, DATA
                reply(in);
            }
            out.write(("From: <" + sender + ">\r\nTo: <alice@example.org>\r\nSubject: " + subject
                    + "\r\n\r\nHello.\r\n.\r\n").getBytes(StandardCharsets.US_ASCII));
            var reply = reply(in);
            assertTrue(reply.startsWith("250 "), reply);
        }
    }

    /** One reply's last line. */
    private static String reply(InputStream in) throws IOException {
        var line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b != '\n') {
                line.append((char) b);
            } else if (line.length() > 3 && line.charAt(3) == '-') {
                line.setLength(0);
            } else {
                return line.toString().strip();
            }
        }
        throw new IOException("closed after " + line);
    }
}
