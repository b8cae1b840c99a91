package org.roost.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A message being received, held until it is delivered: in memory while small, then in a file of the spool
 * directory (mode 0600, deleted on {@link #close()}). Written once, then read once per delivery.
 */
public final class MessageSpool extends OutputStream {
    /** Most messages fit: they are never written twice. Larger ones cost one unsynced file write more. */
    static final int MEMORY_LIMIT = 256 * 1024;

    private final Path directory;
    private byte[] memory = new byte[8 * 1024];
    private int held;
    private Path file;
    private OutputStream fileOutput;
    private long size;

    /** {@code directory}: where messages too large for memory are spooled. */
    public MessageSpool(Path directory) {
        this.directory = directory;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (file == null && held + length > MEMORY_LIMIT) {
            spillToFile();
        }
        if (fileOutput != null) {
            fileOutput.write(bytes, offset, length);
        } else {
            if (held + length > memory.length) {
                memory = Arrays.copyOf(memory, Math.max(held + length, Math.min(MEMORY_LIMIT, memory.length * 2)));
            }
            System.arraycopy(bytes, offset, memory, held, length);
            held += length;
        }
        size += length;
    }

    private void spillToFile() throws IOException {
        Files.createDirectories(directory);
        file = Files.createTempFile(directory, "spool-", ".eml");
        fileOutput = Files.newOutputStream(file);
        fileOutput.write(memory, 0, held);
        memory = null;
        held = 0;
    }

    public long size() {
        return size;
    }

    /** The message is complete: what follows only reads it (from several threads, for several recipients). */
    public void finish() throws IOException {
        if (fileOutput != null) {
            fileOutput.close();
            fileOutput = null;
        }
    }

    /** The bytes written, from the start; after {@link #finish()}, as often as needed. */
    public InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(memory, 0, held) : Files.newInputStream(file);
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
                file = null;
            }
        }
    }
}
