package org.roost.storage.files;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Reads a file that is usually absent without an exception for its absence: a quota override or an append
 * journal is looked for on every APPEND, EXPUNGE or quota check, and a {@link NoSuchFileException} (two
 * exceptions with stack traces, from the JDK's own) cost more than the stat that answers "absent" alone.
 */
public final class AbsentFiles {
    private AbsentFiles() {
    }

    /** The file's text, or empty when there is no such file (also when it goes between the stat and the read). */
    public static Optional<String> readString(Path file, Charset charset) throws IOException {
        if (file.getFileSystem().provider().readAttributesIfExists(file, BasicFileAttributes.class) == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, charset));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }
}
