package org.roost.imap.protocol;

import java.nio.file.Path;

/**
 * What bounds the grammar beyond line and literal lengths (which the reader enforces).
 *
 * @param spoolDirectory        where an APPEND's message larger than {@link MessageLiteral#MEMORY_LIMIT} waits to be stored
 * @param maxSearchDepth        how deeply SEARCH keys may nest (parentheses, NOT, OR)
 * @param maxIdParameters       how many field-value pairs an ID command may carry
 * @param maxFetchHeaderFields  how many field names one {@code HEADER.FIELDS (...)} may list
 * @param maxNotifyMailboxes    how many mailbox names one NOTIFY may give (RFC 5465 §6.5, §6.6)
 * @param maxAppendMessages     how many messages one APPEND may carry (MULTIAPPEND, RFC 3502)
 * @param maxCatenateParts      how many parts one CATENATE may join (RFC 4469)
 * @param maxUrlLength          the longest IMAP URL read as one (longer: an invalid URL, RFC 4467 and 4469)
 * @param maxUrls               how many URLs one URLFETCH may fetch and one GENURLAUTH may authorize (RFC 4467)
 */
public record ParserSettings(Path spoolDirectory, int maxSearchDepth, int maxIdParameters, int maxFetchHeaderFields,
        int maxNotifyMailboxes, int maxAppendMessages, int maxCatenateParts, int maxUrlLength, int maxUrls) {}
