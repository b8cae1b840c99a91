package org.roost.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A file's modification time, size and inode, so that what was read from it is used again while they stay the same
 * (the inode catches a new file renamed over the old); {@link #ABSENT} for no file.
 */
public record FileStamp(FileTime modified, long size, Object fileKey) {
    public static final FileStamp ABSENT = new FileStamp(null, -1, null);

    /**
     * Most mailboxes have no {@code dovecot-acl}: {@link Files#exists} tells so without the exception a failed
     * {@code readAttributes} builds (a LIST-STATUS of a thousand folders looks twice at each).
     */
    public static FileStamp of(Path file) throws IOException {
        if (!Files.exists(file)) {
            return ABSENT;
        }
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (NoSuchFileException e) {
            return ABSENT;
        }
    }
}
