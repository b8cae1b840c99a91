package org.roost.fts;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.SecureContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;
import org.roost.mail.mime.Part;
import org.roost.mail.mime.SearchText;
import org.xml.sax.SAXException;

/**
 * The text of attachments (PDF, Office, ODF, HTML, text…) through Tika's parsers, in a step that cannot
 * take the server down: an attachment larger than the bound is not read, parsing runs on a few threads
 * of its own and is abandoned after the time limit, the text is cut at the character bound, and Tika's
 * {@link SecureContentHandler} stops zip bombs and deep nesting. A skipped attachment has no text (a log
 * line says why); both the indexer and the matcher read attachments through this, so they agree.
 */
final class TikaAttachments implements SearchText.AttachmentReader, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TikaAttachments.class.getName());
    private static final int MAX_DEPTH = 64;
    private static final long MAX_COMPRESSION_RATIO = 100;
    private final AutoDetectParser parser = new AutoDetectParser();
    private final long maxBytes;
    private final int maxChars;
    private final Duration timeout;
    /**
     * One permit per parse running, held until the parse really ends (an abandoned one may run on): at most
     * that many threads parse, and when all are taken for longer than the time limit, an attachment is
     * skipped rather than waited for.
     */
    private final Semaphore running;
    private final ExecutorService threads = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("roost-fts-tika-", 0).daemon().factory());

    TikaAttachments(long maxBytes, int maxChars, Duration timeout, int threads) {
        this.maxBytes = maxBytes;
        this.maxChars = maxChars;
        this.timeout = timeout;
        this.running = new Semaphore(threads);
    }

    @Override
    public Reader text(Part part, InputStream decoded) throws IOException {
        byte[] content = decoded.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (content.length > maxBytes) {
            return skipped(part, "larger than " + maxBytes + " bytes");
        }
        var type = part.mediaType() + "/" + part.mediaSubtype();
        Future<String> parsing;
        try {
            if (!running.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return skipped(part, "every attachment thread stayed busy");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read an attachment");
        }
        try {
            parsing = threads.submit(() -> {
                try {
                    return parse(content, type);
                } finally {
                    running.release();
                }
            });
        } catch (RejectedExecutionException closed) {
            running.release();
            return skipped(part, "the server is stopping");
        }
        try {
            var text = parsing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return text == null ? skipped(part, "refused as hostile (nesting or compression)") : new StringReader(text);
        } catch (TimeoutException e) {
            parsing.cancel(true);
            return skipped(part, "not parsed within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return skipped(part, "unreadable: " + e.getCause());
        } catch (InterruptedException e) {
            parsing.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading an attachment");
        }
    }

    /** The text, cut at the bound; null when the parse was stopped as hostile. */
    private String parse(byte[] content, String type) throws IOException, TikaException, SAXException {
        var text = new WriteOutContentHandler(maxChars);
        var metadata = new Metadata();
        metadata.set(Metadata.CONTENT_TYPE, type);
        try (var in = TikaInputStream.get(content)) {
            var secure = new SecureContentHandler(new BodyContentHandler(text), in);
            secure.setMaximumDepth(MAX_DEPTH);
            secure.setMaximumCompressionRatio(MAX_COMPRESSION_RATIO);
            try {
                parser.parse(in, secure, metadata, new ParseContext());
            } catch (SAXException e) {
                if (WriteLimitReachedException.isWriteLimitReached(e)) {
                    return text.toString();
                }
                try {
                    secure.throwIfCauseOf(e);
                } catch (TikaException hostile) {
                    return null;
                }
                throw e;
            }
        }
        return text.toString();
    }

    private static Reader skipped(Part part, String why) {
        LOG.log(System.Logger.Level.WARNING, "attachment {0}/{1} skipped for search: {2}", part.mediaType(),
                part.mediaSubtype(), why);
        return null;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
