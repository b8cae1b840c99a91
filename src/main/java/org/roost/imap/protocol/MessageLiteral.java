package org.roost.imap.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The message of an APPEND: small ones in memory, large ones in a temporary file that
 * {@link #close()} deletes. Never the mail store itself.
 */
public final class MessageLiteral implements AutoCloseable {
    static final int MEMORY_LIMIT = 256 * 1024;
    private final byte[] bytes;
    private final Path file;
    private final long size;
    private final boolean binary;

    private MessageLiteral(byte[] bytes, Path file, long size, boolean binary) {
        this.bytes = bytes;
        this.file = file;
        this.size = size;
        this.binary = binary;
    }

    /** Reads the literal {@code header} announced from the client, into memory if it is small and {@code inMemory}. */
    static MessageLiteral read(ImapReader reader, ImapReader.LiteralHeader header, Path tempDir, boolean inMemory)
            throws IOException {
        long size = header.size();
        if (inMemory && size <= MEMORY_LIMIT) {
            return new MessageLiteral(reader.readExactly((int) size), null, size, header.binary());
        }
        Files.createDirectories(tempDir);
        var file = Files.createTempFile(tempDir, "append-", ".eml");
        try (OutputStream out = Files.newOutputStream(file)) {
            reader.copyLiteral(size, out);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new MessageLiteral(null, file, size, header.binary());
    }

    public static MessageLiteral of(byte[] bytes) {
        return new MessageLiteral(bytes, null, bytes.length, false);
    }

    public long size() {
        return size;
    }

    /** Whether it came as a {@code literal8} (RFC 3516 §4.4), which may hold binary parts. */
    public boolean binary() {
        return binary;
    }

    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is removed with the next start's temp cleanup
            }
        }
    }
}
