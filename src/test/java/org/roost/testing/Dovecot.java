package org.roost.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Dovecot run privately over a mail directory: {@code /usr/lib/dovecot/imap} (or {@code pop3})
 * as a pre-authenticated session on standard input and output (no daemon, no port), with a config of
 * its own. When running as root, Dovecot refuses root as the mail user, so the files are given to
 * {@code nobody} first (root reads them back regardless).
 *
 * <p>Without Dovecot the calling test is skipped, except where {@code CI=true}, where it fails.
 */
public final class Dovecot {
    private static final Path IMAP = Path.of("/usr/lib/dovecot/imap");
    private static final Path POP3 = Path.of("/usr/lib/dovecot/pop3");

    private final Path config;
    private final Path mail;
    private final String user;
    /** The name sessions log in as (Dovecot's %u); the mail belongs to {@link #user} all the same. */
    private final String login;

    private Dovecot(Path config, Path mail, String user, String login) {
        this.config = config;
        this.mail = mail;
        this.user = user;
        this.login = login;
    }

    /** The same Dovecot, whose sessions log in as {@code name} ({@code %u} in its config): several users of one mail. */
    public Dovecot loggedInAs(String name) {
        return new Dovecot(config, mail, user, name);
    }

    /** Skips the test (fails it where CI=true) when Debian's dovecot-imapd is not installed. */
    public static void require() {
        boolean present = Files.isExecutable(IMAP);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("dovecot-imapd is not installed (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, "dovecot-imapd is not installed: apt-get install dovecot-imapd");
    }

    /** A Dovecot serving {@code location} (e.g. {@code mbox:/dir:INBOX=/dir/inbox}) over {@code mail}, state in {@code work}. */
    public static Dovecot over(Path mail, String location, Path work) throws IOException {
        return over(mail, location, work, "");
    }

    /** The same, with {@code settings} (e.g. plugins and their {@code plugin {}} block) at the end of its config. */
    public static Dovecot over(Path mail, String location, Path work, String settings) throws IOException {
        require();
        boolean root = "root".equals(System.getProperty("user.name"));
        var user = root ? "nobody" : System.getProperty("user.name");
        var config = work.resolve("dovecot.conf");
        Files.writeString(config, """
                mail_location = %s
                log_path = %s
                ssl = no
                mail_uid = %s
                mail_gid = %s
                first_valid_uid = 1
                mbox_write_locks = dotlock fcntl
                mbox_read_locks = fcntl
                """.formatted(location, work.resolve("dovecot.log"), user, groupOf(user)) + settings);
        return new Dovecot(config, mail, user, user);
    }

    /** The user the sessions are logged in as: {@code nobody} when the tests run as root, else the tests' user. */
    public String user() {
        return user;
    }

    private static String groupOf(String user) throws IOException {
        try {
            var id = new ProcessBuilder("id", "-gn", user).redirectErrorStream(true).start();
            var group = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (id.waitFor() != 0) {
                throw new IOException("id -gn " + user + ": " + group);
            }
            return group;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Runs one IMAP session ({@link ImapScript}'s form, ending with LOGOUT); returns everything Dovecot
     * answered. LOGOUT is sent only once the command before it has its tagged answer: Dovecot flushes
     * what it still holds without waiting when it logs out, so on a loaded machine the end of a large
     * FETCH that the pipe could not take yet was lost.
     */
    public String session(List<Object> commands) throws IOException, InterruptedException {
        var body = commands.subList(0, commands.size() - 1);
        var lastTag = tagOf(body.getLast());
        return run(IMAP, ImapScript.bytes(body), ImapScript.bytes(List.of(commands.getLast())),
                "\r\n" + lastTag + " ");
    }

    private static String tagOf(Object command) {
        var line = command instanceof Object[] pair ? (String) pair[0] : (String) command;
        return line.substring(0, line.indexOf(' '));
    }

    /** Runs one POP3 session, a command a line; returns everything Dovecot answered. Needs dovecot-pop3d. */
    public String pop3(List<String> commands) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(POP3);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("dovecot-pop3d is not installed (.ci/run installs it)");
        }
        Assumptions.assumeTrue(present, "dovecot-pop3d is not installed: apt-get install dovecot-pop3d");
        return run(POP3, (String.join("\r\n", commands) + "\r\n").getBytes(StandardCharsets.US_ASCII), new byte[0], "");
    }

    /**
     * Writes {@code input}, then {@code last} once the answers read so far contain {@code awaited} (at
     * once when it is empty). Standard input stays open until the session ends by itself (LOGOUT, QUIT):
     * Dovecot drops what it has not written yet when it sees the end of its input. Writing happens beside
     * the reading, so neither pipe fills up.
     */
    private String run(Path binary, byte[] input, byte[] last, String awaited) throws IOException, InterruptedException {
        giveToUser();
        // Its log lines go to a file: they would land in the middle of the answers.
        var builder = new ProcessBuilder(binary.toString(), "-c", config.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(config.resolveSibling("dovecot-stderr.log").toFile()));
        builder.environment().put("USER", login);
        builder.environment().put("HOME", mail.toString());
        var process = builder.start();
        var answered = new CountDownLatch(awaited.isEmpty() ? 0 : 1);
        var writer = Thread.ofVirtual().start(() -> {
            try (var in = process.getOutputStream()) {
                in.write(input);
                in.flush();
                if (answered.await(60, TimeUnit.SECONDS)) {
                    in.write(last);
                    in.flush();
                }
                process.waitFor(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                // Dovecot ended before it read everything: its output says why
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var output = new StringBuilder();
        var buffer = new byte[65536];
        var stdout = process.getInputStream();
        for (int n; (n = stdout.read(buffer)) >= 0; ) {
            output.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            if (answered.getCount() > 0 && output.indexOf(awaited) >= 0) {
                answered.countDown();
            }
        }
        answered.countDown();
        writer.join();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("dovecot did not end: " + output);
        }
        return output.toString();
    }

    private void giveToUser() throws IOException, InterruptedException {
        if (!user.equals(System.getProperty("user.name"))) {
            var chown = new ProcessBuilder("chown", "-R", user + ":" + groupOf(user), mail.toString()).inheritIO().start();
            if (chown.waitFor() != 0) {
                throw new IOException("chown of " + mail + " failed");
            }
            // The test's temporary directories are private to root: the mail user must pass through them.
            for (var d = mail.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
                var mode = Files.getPosixFilePermissions(d);
                if (!mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    mode.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(d, mode);
                }
            }
        }
    }
}
