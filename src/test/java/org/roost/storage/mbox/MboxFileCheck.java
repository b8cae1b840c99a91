package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** What a valid mbox Roost wrote looks like, for tests outside this package: every message numbered in the file. */
public final class MboxFileCheck {
    private MboxFileCheck() {
    }

    /** Whatever is wrong with the mbox at {@code file}: a message without separator or X-UID, UIDs out of order or above X-IMAPbase. */
    public static List<String> problems(Path file) throws IOException {
        var problems = new ArrayList<String>();
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var found = Scanner.scan(channel, 0, channel.size(), ZoneOffset.UTC);
            if (found.isEmpty()) {
                return problems;
            }
            var base = found.getFirst().meta().base;
            if (base == null) {
                problems.add("no X-IMAPbase or X-IMAP in the first message");
                return problems;
            }
            long previous = 0;
            for (var m : found.subList(base.pseudo() ? 1 : 0, found.size())) {
                long uid = m.meta().uid;
                if (m.fromLength() == 0) {
                    problems.add("a message without a From_ line at " + m.offset());
                }
                if (uid <= previous || uid > base.lastUid()) {
                    problems.add("X-UID " + uid + " at " + m.offset() + " after " + previous + " (last UID " + base.lastUid()
                            + ")");
                }
                previous = Math.max(previous, uid);
            }
        }
        return problems;
    }
}
