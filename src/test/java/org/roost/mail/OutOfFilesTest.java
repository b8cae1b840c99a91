package org.roost.mail;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OutOfFilesTest {
    /** As the JDK reports EMFILE and ENFILE: the file, and strerror as the reason. */
    @Test
    void theShortageIsToldWhereverItArose() {
        assertTrue(OutOfFiles.is(new FileSystemException("/mail/cur/1:2,S", null, "Too many open files")));
        assertTrue(OutOfFiles.is(new FileSystemException("/mail/cur/1:2,S", null, "Too many open files in system")));
        assertTrue(OutOfFiles.is(new CompletionException(new SocketException("Too many open files"))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(OutOfFiles.is(new NoSuchFileException("/mail/cur/1:2,S")));
        assertFalse(OutOfFiles.is(new SocketException("Connection reset")));
        assertFalse(OutOfFiles.is(new IOException((String) null)));
    }

    /** A cause chain that loops (initCause allows it across two exceptions) ends the search, not the thread. */
    @Test
    void aLoopingCauseChainEnds() {
        var a = new IOException("a");
        var b = new IOException("b");
        a.initCause(b);
        b.initCause(a);
        assertFalse(OutOfFiles.is(a));
    }
}
