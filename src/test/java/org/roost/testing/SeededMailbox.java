package org.roost.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.FlagMode;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * A mailbox filled from a seed with everything that decides a message's FLAGS as a session sees
 * it: mixed system flags and keywords (two differing only in case), \Recent for one session and
 * not the other, changes by another session the views have not synced, and a session's own
 * adopted changes. {@link #mine} claimed the first messages as recent, {@link #other} the later ones.
 */
public final class SeededMailbox {
    public static final List<String> KEYWORDS = List.of("$Forwarded", "Todo", "todo", "$Junk", "Work", "NonJunk");
    public final MailboxState state;
    public final MailboxView mine;
    public final MailboxView other;
    private final Random random;

    public SeededMailbox(Path root, long seed) throws IOException {
        random = new Random(seed);
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 20));
        state = cache.open("u", "INBOX");
        appendMessages(0, 120);
        mine = new MailboxView(state, false);
        other = new MailboxView(state, false);
        appendMessages(120, 40);
        other.sync(true);
        changeFlags(other, 40); // other's own changes, adopted; mine has not synced them
        mine.sync(true);
        changeFlags(mine, 30);
        state.setFlags(randomChanges(mine, 20)); // a third session's changes: neither view has synced them
    }

    private void appendMessages(int first, int count) throws IOException {
        for (int i = first; i < first + count; i++) {
            var text = "Subject: m" + i + "\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\nbody " + i + "\r\n";
            // internal dates around midnights, so that the day depends on the zone
            var date = Instant.parse("2024-03-25T00:00:00Z").plusSeconds(random.nextLong(-2 * 86_400, 2 * 86_400))
                    .plusSeconds(86_400L * random.nextInt(0, 300));
            state.append(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), randomFlags(),
                    randomKeywords(), date);
        }
    }

    private void changeFlags(MailboxView view, int count) throws IOException {
        view.adopt(state.setFlags(randomChanges(view, count), MailboxState.UNCONDITIONAL));
    }

    private List<MailboxState.FlagChange> randomChanges(MailboxView view, int count) {
        var changes = new ArrayList<MailboxState.FlagChange>();
        for (int i = 0; i < count; i++) {
            var m = view.message(random.nextInt(1, view.count() + 1));
            var mode = FlagMode.values()[random.nextInt(FlagMode.values().length)];
            changes.add(new MailboxState.FlagChange(m, randomFlags(), randomKeywords(), mode));
        }
        return changes;
    }

    public Set<SystemFlag> randomFlags() {
        var flags = EnumSet.noneOf(SystemFlag.class);
        for (var flag : SystemFlag.values()) {
            if (random.nextInt(3) == 0) {
                flags.add(flag);
            }
        }
        return flags;
    }

    public Set<String> randomKeywords() {
        var keywords = new LinkedHashSet<String>();
        for (var keyword : KEYWORDS) {
            if (random.nextInt(4) == 0) {
                keywords.add(keyword);
            }
        }
        return keywords;
    }

    public Random random() {
        return random;
    }
}
