package org.roost.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * What a file looked like when it was read (modification time, size, inode key), so a later look can tell
 * whether it changed. The inode key catches an atomic rename that keeps time and size (Kubernetes secrets,
 * {@code mv new passwd}).
 */
record FileStamp(FileTime modified, long size, Object fileKey) {

    static FileStamp of(Path file) throws IOException {
        var attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
    }

    static List<FileStamp> of(List<Path> files) throws IOException {
        var out = new java.util.ArrayList<FileStamp>(files.size());
        for (var file : files) {
            out.add(of(file));
        }
        return List.copyOf(out);
    }
}
