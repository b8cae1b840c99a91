package org.roost.fts;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.Term;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.SearchText;

/**
 * The Lucene document of one message: its mailbox, UID and the trigrams of the texts SEARCH looks into,
 * folded as SEARCH folds them ({@link SearchText}), so that every message SEARCH would find has every
 * trigram of the needle. A message whose text is longer than the bound, or cannot be read, is marked
 * partial: it stays a candidate for every text search.
 *
 * <p>Positions are what make indexing cost (Lucene inverts each trigram with its position, most of a long
 * message's CPU), so the headers and the body keep them only for their first {@code positionedChars}
 * characters: a needle found there as a phrase is a sure hit. Past that, the rest of the text gives each of its
 * distinct trigrams once, without positions, in a field of its own ({@link #unpositioned}); a message whose rest
 * holds every trigram of a needle is a candidate the matcher reads. The rest starts {@link #OVERLAP} characters
 * before the end of the positioned part, so that a needle the index is asked whole lies in one of the two.
 * An index written with positions everywhere (before this split, or with a larger bound) has no rest fields and
 * answers the same.
 */
final class MessageDocument {
    static final String ID = "id";
    static final String MAILBOX = "mailbox";
    static final String UID = "uid";
    static final String PARTIAL = "partial";
    static final String BODY = "body";
    /** The header lines of the message and of the messages attached to it, for TEXT. */
    static final String HEADERS = "headers";
    /** The fields indexed on their own, as {@code SearchText} decodes them for HEADER/FROM/SUBJECT… */
    static final Set<String> HEADER_FIELDS = Set.of("from", "to", "cc", "bcc", "subject", "message-id", "list-id");
    static final Set<String> ADDRESS_FIELDS = Set.of("from", "to", "cc", "bcc");
    private static final String YES = "1";
    /** Trigrams with their positions, so that a needle is found as its trigrams one after the other; no norms. */
    private static final FieldType TRIGRAMS = trigramsType(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    /** Trigrams once each, without positions: the text of a field past its positioned characters. */
    private static final FieldType DISTINCT_TRIGRAMS = trigramsType(IndexOptions.DOCS);
    private static final String UNPOSITIONED = "~rest";
    /**
     * How far the unpositioned rest reaches back into the positioned part: any run of the needle's characters
     * the index is asked ({@link Searched#MAX_NEEDLE_CHARS}) that does not end within the positioned part
     * starts within the rest.
     */
    static final int OVERLAP = Searched.MAX_NEEDLE_CHARS - 1;
    /** Keeps the units of a message apart; it adds trigrams no needle needs, never removes one. */
    static final char SEPARATOR = '\n';

    private MessageDocument() {
    }

    /** The unique name of a message in its user's index. */
    static Term id(String mailbox, long uid) {
        return new Term(ID, mailbox + '\u0000' + uid);
    }

    static String headerField(String name) {
        return "h:" + name;
    }

    /** The field that holds the trigrams of {@code field}'s text past its positioned characters. */
    static String unpositioned(String field) {
        return field + UNPOSITIONED;
    }

    /**
     * The folded texts a message's document is made of, the same for every copy of the message: each of
     * {@link #HEADER_FIELDS} by name, the header lines, the body, and whether all of it was read.
     */
    record Texts(Map<String, String> headerFields, String headers, String body, boolean complete) {
        /** Characters held, to bound what keeps texts in memory. */
        long chars() {
            long total = headers.length() + body.length();
            for (String value : headerFields.values()) {
                total += value.length();
            }
            return total;
        }
    }

    /**
     * The texts of a message: {@code normalized} is the CRLF-normalized message, read forward once; at most
     * {@code maxChars} characters of text, with what {@code attachments} reads of the parts that are not text.
     */
    static Texts texts(MessageStructure structure, InputStream normalized, int maxChars,
            SearchText.AttachmentReader attachments) {
        var fields = new LinkedHashMap<String, String>();
        var headers = new Bounded(maxChars);
        var body = new Bounded(maxChars);
        boolean complete;
        try {
            for (String name : HEADER_FIELDS) {
                var values = ADDRESS_FIELDS.contains(name) ? SearchText.addressValues(structure, name)
                        : SearchText.headerValues(structure, name);
                fields.put(name, joinedFolded(values));
            }
            boolean cut = SearchText.readUnits(structure, normalized, true, attachments,
                    (unit, header) -> !(header ? headers : body).append(unit));
            complete = !cut;
        } catch (IOException | RuntimeException e) {
            complete = false; // the matcher reads the message itself, as without an index
        }
        return new Texts(fields, headers.text(), body.text(), complete);
    }

    /**
     * The document of message {@code uid} of {@code mailbox} ({@link FullTextSearch#mailboxKey}) with
     * {@code texts}, the first {@code positionedChars} of the headers and of the body with their positions.
     */
    static Document of(String mailbox, long uid, Texts texts, int positionedChars) {
        var document = skeleton(mailbox, uid);
        texts.headerFields().forEach((name, value) -> document.add(new Field(headerField(name), value, TRIGRAMS)));
        addText(document, HEADERS, texts.headers(), positionedChars);
        addText(document, BODY, texts.body(), positionedChars);
        if (!texts.complete()) {
            document.add(new StringField(PARTIAL, YES, Field.Store.NO));
        }
        return document;
    }

    /** The document of a message that could not be read at all: a candidate for every text search. */
    static Document unreadable(String mailbox, long uid) {
        var document = skeleton(mailbox, uid);
        document.add(new StringField(PARTIAL, YES, Field.Store.NO));
        return document;
    }

    static Term partial() {
        return new Term(PARTIAL, YES);
    }

    private static Document skeleton(String mailbox, long uid) {
        var document = new Document();
        document.add(new StringField(ID, id(mailbox, uid).text(), Field.Store.NO));
        document.add(new StringField(MAILBOX, mailbox, Field.Store.NO));
        document.add(new NumericDocValuesField(UID, uid));
        return document;
    }

    /** {@code text} as {@code field}, with positions up to {@code positionedChars} and its rest without. */
    private static void addText(Document document, String field, String text, int positionedChars) {
        if (text.length() <= positionedChars) {
            document.add(new Field(field, text, TRIGRAMS));
            return;
        }
        document.add(new Field(field, text.substring(0, positionedChars), TRIGRAMS));
        var rest = new StringReader(text.substring(Math.max(0, positionedChars - OVERLAP)));
        document.add(new Field(unpositioned(field), TrigramTokenizer.distinct(rest), DISTINCT_TRIGRAMS));
    }

    /** Header values are as long as the structure's bound on a header lets them be. */
    private static String joinedFolded(List<String> values) {
        var out = new StringBuilder();
        for (String value : values) {
            out.append(SearchText.fold(value)).append(SEPARATOR);
        }
        return out.toString();
    }

    private static FieldType trigramsType(IndexOptions options) {
        var type = new FieldType();
        type.setIndexOptions(options);
        type.setTokenized(true);
        type.setOmitNorms(true);
        type.freeze();
        return type;
    }

    /** Folded text up to a bound. */
    private static final class Bounded {
        private final StringBuilder text = new StringBuilder();
        private final char[] buffer = new char[4096];
        private final int max;

        Bounded(int max) {
            this.max = max;
        }

        /** Appends the unit folded; false once the bound is reached (the text is then cut). */
        boolean append(Reader unit) throws IOException {
            int n;
            while ((n = SearchText.readWhole(unit, buffer)) > 0) {
                text.append(SearchText.fold(new String(buffer, 0, n)));
                if (text.length() > max) {
                    return false;
                }
            }
            text.append(SEPARATOR);
            return true;
        }

        String text() {
            return text.toString();
        }
    }
}
