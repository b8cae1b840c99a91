package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;

/**
 * The child process {@link InPlaceFlagsKillTest} kills: changes flags of random messages of alice's INBOX
 * under {@code args[0]} one at a time, with fsync, until it is killed (or a minute passed), saying on stdout before each change
 * what it tries ({@code TRY uid flags keywords}) and after it what was done ({@code ACK ...}).
 */
public final class FlagChanger {
    private FlagChanger() {
    }

    public static void main(String[] args) throws IOException {
        var random = new Random(Long.parseLong(args[1]));
        var box = new MboxDriver(MailLocation.parse("mbox:" + Path.of(args[0]) + "/%u"),
                MboxMailboxTest.testOptions().withFsync(true)).open("alice").mailbox("INBOX");
        var messages = box.scan();
        var out = System.out;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a test that lost it must not hang
        while (System.nanoTime() < deadline) {
            var m = messages.get(random.nextInt(messages.size()));
            var flags = EnumSet.noneOf(SystemFlag.class);
            for (var flag : List.of(SystemFlag.SEEN, SystemFlag.FLAGGED, SystemFlag.ANSWERED, SystemFlag.DELETED)) {
                if (random.nextBoolean()) {
                    flags.add(flag);
                }
            }
            // now and then more keywords than a block's padding takes: through the journal
            var keywords = random.nextInt(20) == 0 ? Set.of("a-rather-long-keyword-one", "a-rather-long-keyword-two",
                    "a-rather-long-keyword-three") : random.nextBoolean() ? Set.of("todo") : Set.<String>of();
            var line = m.uid() + " " + line(flags) + " " + line(keywords);
            out.println("TRY " + line);
            out.flush();
            box.setFlags(m, flags, keywords);
            out.println("ACK " + line);
            out.flush();
        }
    }

    static String line(Set<?> values) {
        return values.stream().map(Object::toString).sorted().collect(Collectors.joining(",", "[", "]"));
    }
}
