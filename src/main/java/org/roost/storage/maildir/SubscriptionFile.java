package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.roost.mail.MailboxNameCodec;

/**
 * Dovecot's {@code subscriptions} file. Version 2 starts with {@code "V\t2\n\n"} and writes each
 * name's levels separated by TAB, each level tab-escaped (\001 followed by 1, t, r or n for
 * \001, TAB, CR, LF); version 1 has one name per line with the hierarchy delimiter. Names on
 * disk are modified UTF-7. Lines that do not decode are skipped.
 */
final class SubscriptionFile {

    private static final System.Logger LOG = System.getLogger(SubscriptionFile.class.getName());
    private static final String VERSION2_HEADER = "V\t2\n\n";

    private SubscriptionFile() {
    }

    static Set<String> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return new LinkedHashSet<>();
        }
        boolean version2 = text.startsWith(VERSION2_HEADER);
        if (version2) {
            text = text.substring(VERSION2_HEADER.length());
        }
        var names = new LinkedHashSet<String>();
        for (var line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            var onDisk = version2 ? unescapeLevels(line) : line;
            try {
                names.add(FolderNames.canonical(MailboxNameCodec.decode(onDisk)));
            } catch (IllegalArgumentException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: skipping undecodable subscription", file);
            }
        }
        return names;
    }

    /** Writes the whole set through Dovecot's lock file, as version 2. */
    static void write(Path file, Set<String> names, MaildirOptions options, Durability durability)
            throws IOException {
        var out = new StringBuilder(VERSION2_HEADER);
        for (var name : names) {
            var encoded = MailboxNameCodec.encode(name);
            out.append(encoded.replace(FolderNames.DELIMITER, '\t')).append('\n');
        }
        try (var lock = DotLock.acquire(file, options, durability)) {
            lock.replace(out.toString());
        }
    }

    private static String unescapeLevels(String line) {
        var out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.append(FolderNames.DELIMITER);
            } else if (c == '\001' && i + 1 < line.length()) {
                char escaped = line.charAt(++i);
                out.append(switch (escaped) {
                    case '1' -> '\001';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    default -> escaped;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
