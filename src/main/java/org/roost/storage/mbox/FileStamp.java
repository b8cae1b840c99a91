package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What one {@code stat} tells of an mbox file: a different size, modification time or inode means
 * somebody wrote it (an append grows it; a rewrite in place changes its time; a replacement, its inode).
 *
 * @param key the file's identity (device and inode, as the file system names it), or "" when it has none
 */
record FileStamp(long size, long modifiedNanos, String key) {

    /** The stamp of {@code file}, or null when there is no such file. */
    static FileStamp of(Path file) throws IOException {
        try {
            var a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new FileStamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    a.fileKey() == null ? "" : a.fileKey().toString());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    boolean sameFile(FileStamp other) {
        return other != null && key.equals(other.key);
    }
}
