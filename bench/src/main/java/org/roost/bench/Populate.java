package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * {@code populate}: writes a Maildir per user straight to disk (no server involved), with
 * Dovecot-style file names ({@code TIME.MNNN.HOST,S=SIZE:2,FLAGS}) so both servers index the same
 * mail. Users {@code --user} 1..{@code --users} get {@code --messages} each; with
 * {@code --big-user NAME --big-messages N} one more user gets a large INBOX.
 */
public final class Populate {
    private Populate() {
    }

    public static void run(Options o, PrintStream out) throws IOException {
        Path root = Path.of(o.string("root", "bench-mail"));
        var random = new SplittableRandom(o.longValue("seed", 42));
        int users = o.integer("users", 10);
        int messages = o.integer("messages", 200);
        for (int i = 1; i <= users; i++) {
            write(root.resolve(o.user(i)), messages, random, false);
        }
        if (o.has("big-user")) {
            write(root.resolve(o.string("big-user", "big")), o.integer("big-messages", 100_000), random, true);
        }
        out.printf("populated %s: %d users x %d messages%s%n", root, users, messages,
                o.has("big-user") ? " + " + o.string("big-user", "") + " x " + o.integer("big-messages", 100_000) : "");
    }

    static void write(Path maildir, int count, SplittableRandom random, boolean small) throws IOException {
        for (String sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(maildir.resolve(sub));
        }
        long time = 1_700_000_000L;
        for (int n = 0; n < count; n++) {
            int size = small ? 600 + random.nextInt(2500) : Messages.typicalSize(random);
            byte[] message = Messages.message(random, size);
            String flags = (random.nextInt(10) < 7 ? "S" : "") + (random.nextInt(20) == 0 ? "F" : "");
            String name = (time + n) + ".M" + n + "P1.bench,S=" + message.length + ":2," + flags;
            Path file = maildir.resolve("cur").resolve(name);
            Files.write(file, message);
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis((time + n) * 1000));
        }
    }
}
