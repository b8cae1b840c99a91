package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.roost.storage.files.AbsentFiles;
import org.roost.storage.files.Durability;

/**
 * The names a commit of several messages is about to link into cur/, written (durably) before the first link
 * and removed after the uid list that gives them UIDs is stored, so that a crash in between leaves none of
 * them: whoever next holds the uid list's lock finds the journal and deletes the files the uid list does not
 * know (RFC 3502 §6.3.11: "no partial appending is permitted"). Only ever present while the uid list's lock
 * is held, so one found by a holder of that lock is a crashed writer's.
 */
final class AppendJournal {
    static final String FILE = "roost-append.journal";

    private final Path file;
    private final Path cur;
    private final Durability durability;

    AppendJournal(Path mailboxDir, Path cur, Durability durability) {
        this.file = mailboxDir.resolve(FILE);
        this.cur = cur;
        this.durability = durability;
    }

    /** Records the coming names (base name → file name in cur/), durable before the caller links any. */
    void begin(Map<String, String> names) throws IOException {
        var text = new StringBuilder();
        names.forEach((base, fileName) -> text.append(base).append('\t').append(fileName).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        durability.syncFile(file);
        durability.syncDirectory(file.getParent());
    }

    /** The commit is complete (the uid list is stored): the journal may go; losing this delete is harmless. */
    void end() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * Called with the uid list's lock held, before files without a UID get one: undoes an interrupted commit,
     * unless its names made it into the uid list ({@code committed}), which then was stored whole.
     *
     * @return whether files were removed (a listing taken before is stale)
     */
    boolean recover(Predicate<String> committed) throws IOException {
        var text = AbsentFiles.readString(file, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return false;
        }
        var names = parse(text.get());
        boolean removed = false;
        if (names.keySet().stream().noneMatch(committed)) {
            for (var fileName : names.values()) {
                removed |= Files.deleteIfExists(cur.resolve(fileName));
            }
            durability.syncDirectory(cur);
        }
        Files.deleteIfExists(file);
        return removed;
    }

    /** Lines of {@code base TAB fileName}; anything else (a torn last line) is skipped, never a path outside cur/. */
    private static Map<String, String> parse(String text) {
        var names = new LinkedHashMap<String, String>();
        for (var line : text.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0 && isPlainName(line.substring(tab + 1))) {
                names.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return names;
    }

    private static boolean isPlainName(String fileName) {
        return !fileName.isEmpty() && !fileName.startsWith(".") && fileName.indexOf('/') < 0
                && fileName.indexOf('\0') < 0;
    }
}
