package org.roost.storage.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A usually absent file read without an exception for its absence: the answers a read with one gave. */
class AbsentFilesTest {
    @TempDir
    Path dir;

    @Test
    void anAbsentFileIsEmpty() throws IOException {
        assertEquals(Optional.empty(), AbsentFiles.readString(dir.resolve("none"), StandardCharsets.US_ASCII));
    }

    @Test
    void aPresentFileIsItsText() throws IOException {
        var file = Files.writeString(dir.resolve("quota"), "storage=10 messages=2\n");
        assertEquals(Optional.of("storage=10 messages=2\n"), AbsentFiles.readString(file, StandardCharsets.US_ASCII));
    }

    @Test
    void aLinkToNothingIsAbsentAndALoopOrADirectoryFails() throws IOException {
        var dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertEquals(Optional.empty(), AbsentFiles.readString(dangling, StandardCharsets.UTF_8));
        var loop = Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertThrows(IOException.class, () -> AbsentFiles.readString(loop, StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> AbsentFiles.readString(dir, StandardCharsets.UTF_8));
    }
}
