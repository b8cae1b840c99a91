package org.roost.storage.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of files and directories, switchable for tests. */
public final class Durability {

    private final boolean enabled;

    public Durability(boolean enabled) {
        this.enabled = enabled;
    }

    public void sync(FileChannel channel) throws IOException {
        if (enabled) {
            channel.force(true);
        }
    }

    /** Makes a directory's entries (a new, renamed or removed name) durable. */
    public void syncDirectory(Path dir) throws IOException {
        if (!enabled) {
            return;
        }
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Makes a file's bytes and metadata (such as a changed mtime) durable. */
    public void syncFile(Path file) throws IOException {
        if (!enabled) {
            return;
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
