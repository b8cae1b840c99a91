package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import org.roost.mail.InvalidKeywordException;
import org.roost.storage.files.DotLock;
import org.roost.storage.files.Durability;

/**
 * A folder's {@code dovecot-keywords}: which letter stands for which keyword. New keywords are
 * added under Dovecot's lock file and made durable before any file name uses their letter.
 */
final class KeywordFile {

    static final String NAME = "dovecot-keywords";

    private final Path path;
    private final MaildirOptions options;
    private final Durability durability;

    KeywordFile(Path mailboxDir, MaildirOptions options, Durability durability) {
        this.path = mailboxDir.resolve(NAME);
        this.options = options;
        this.durability = durability;
    }

    /** The table as on disk; damaged lines skipped, a missing file is an empty table. */
    KeywordTable read() throws IOException {
        try {
            return KeywordTable.parse(Files.readString(path, StandardCharsets.ISO_8859_1), path.toString());
        } catch (NoSuchFileException e) {
            return new KeywordTable();
        }
    }

    /**
     * The letter indexes for {@code keywords}, adding unknown keywords first.
     *
     * @throws InvalidKeywordException when the 26 letters are used up
     */
    Set<Integer> indexesFor(Set<String> keywords) throws IOException {
        if (keywords.isEmpty()) {
            return Set.of();
        }
        var table = read();
        var indexes = new TreeSet<Integer>();
        var unknown = new ArrayList<String>();
        for (var keyword : keywords) {
            table.indexOf(keyword).ifPresentOrElse(indexes::add, () -> unknown.add(keyword));
        }
        if (!unknown.isEmpty()) {
            indexes.addAll(add(unknown));
        }
        return indexes;
    }

    private Set<Integer> add(Iterable<String> keywords) throws IOException {
        var indexes = new TreeSet<Integer>();
        try (var lock = DotLock.acquire(path, options, durability)) {
            var table = read();
            for (var keyword : keywords) {
                var index = table.indexOf(keyword);
                if (index.isEmpty()) {
                    index = table.add(keyword);
                }
                if (index.isEmpty()) {
                    throw new InvalidKeywordException("no room for more than "
                            + MaildirFileName.MAX_KEYWORDS + " keywords in this mailbox");
                }
                indexes.add(index.getAsInt());
            }
            lock.replace(table.format());
        }
        return indexes;
    }

    /** The keyword names of letter indexes, as spelled in the table; unknown letters are dropped. */
    static Set<String> names(KeywordTable table, Set<Integer> indexes) {
        if (indexes.isEmpty()) {
            return Set.of();
        }
        var names = new TreeSet<String>();
        for (int index : indexes) {
            var keyword = table.name(index);
            if (keyword != null) {
                names.add(keyword);
            }
        }
        return names;
    }

    Set<String> names(Set<Integer> indexes) throws IOException {
        return indexes.isEmpty() ? Set.of() : names(read(), indexes);
    }

    /** Gives {@code target} this table, for files moved there with their letters. */
    void copyTo(KeywordFile target) throws IOException {
        try (var lock = DotLock.acquire(target.path, options, durability)) {
            lock.replace(read().format());
        }
    }
}
