package org.roost.sieve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.roost.mail.mime.Address;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.Part;
import org.roost.mail.mime.SearchText;

/**
 * The message a script looks at: its header fields (raw and decoded, RFC 5228 §2.7.2), the addresses in them, its
 * size, and its body text for the body test (RFC 5173), read from the message only when a script asks and at most
 * {@code maxBodyText} characters per part.
 */
final class SieveMessage {
    /** Quoted-printable UTF-8 takes up to 9 bytes per character, base64 about 1.4 per byte: 6 is ample for text. */
    private static final int ENCODED_BYTES_PER_CHARACTER = 6;

    private final MessageSource source;
    private final long size;
    private final MessageStructure structure;
    private final int maxBodyText;
    private final Map<String, List<String>> decoded = new HashMap<>();

    private SieveMessage(MessageSource source, long size, MessageStructure structure, int maxBodyText) {
        this.source = source;
        this.size = size;
        this.structure = structure;
        this.maxBodyText = maxBodyText;
    }

    static SieveMessage read(MessageSource source, long size, int maxBodyText) throws IOException {
        try (var in = new CrlfInputStream(source.open())) {
            return new SieveMessage(source, size, MessageStructure.parse(in), maxBodyText);
        }
    }

    long size() {
        return size;
    }

    /** The raw (unfolded, undecoded) values of a header field, in order. */
    List<String> raw(String name) {
        return structure.headerValues(name);
    }

    /** The values of a header field, unfolded and with RFC 2047 encoded words decoded, in order. */
    List<String> header(String name) {
        return decoded.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                key -> raw(key).stream().map(SearchText::decodeHeader).map(String::strip).toList());
    }

    /** The addresses ({@code local@domain}) of one raw header value; group names are left out. */
    static List<String> addresses(String rawValue) {
        var out = new ArrayList<String>();
        for (var address : Address.parseList(rawValue)) {
            if (address.mailbox() != null && address.host() != null) {
                out.add(text(address.mailbox()) + "@" + text(address.host()));
            }
        }
        return out;
    }

    /**
     * The body as the transform asks (RFC 5173 §5): {@code raw} the undecoded body after the header; else the
     * decoded text of each leaf part whose type is one of {@code types} ({@code text} for :text; {@code ""} matches
     * any; {@code type} any of its subtypes).
     */
    List<String> body(boolean raw, List<String> types) throws IOException {
        if (raw) {
            try (var in = new CrlfInputStream(source.open())) {
                in.skipNBytes(structure.root().bodyStart());
                var bytes = in.readNBytes(maxBodyText);
                return List.of(new String(bytes, StandardCharsets.UTF_8));
            }
        }
        var leaves = new ArrayList<Part>();
        collect(structure.root(), leaves);
        var texts = new ArrayList<String>();
        for (var part : leaves) {
            if (wanted(part, types)) {
                texts.add(text(part));
            }
        }
        return texts;
    }

    private static void collect(Part part, List<Part> out) {
        if (!part.isMultipart() && !part.isMessageRfc822()) {
            out.add(part);
        }
        part.children().forEach(child -> collect(child, out));
        part.message().ifPresent(message -> collect(message, out));
    }

    private static boolean wanted(Part part, List<String> types) {
        var type = part.mediaType().toLowerCase(Locale.ROOT);
        var full = type + "/" + part.mediaSubtype().toLowerCase(Locale.ROOT);
        for (var wanted : types) {
            var lower = wanted.toLowerCase(Locale.ROOT);
            if (lower.isEmpty() || lower.equals(type) || lower.equals(full)) {
                return true;
            }
        }
        return false;
    }

    private String text(Part part) throws IOException {
        try (var in = new CrlfInputStream(source.open())) {
            in.skipNBytes(part.bodyStart());
            // encoded text takes more bytes than characters: enough bytes for maxBodyText characters, no more
            var bytes = in.readNBytes((int) Math.min(part.bodySize(), (long) ENCODED_BYTES_PER_CHARACTER * maxBodyText));
            try (Reader reader = SearchText.reader(part, new ByteArrayInputStream(bytes))) {
                var out = new StringBuilder();
                var buffer = new char[8192];
                int n;
                while (out.length() < maxBodyText && (n = reader.read(buffer, 0,
                        Math.min(buffer.length, maxBodyText - out.length()))) > 0) {
                    out.append(buffer, 0, n);
                }
                return out.toString();
            }
        }
    }

    /** Raw header bytes (one char per byte) as UTF-8 when they are, else as Latin-1. */
    private static String text(String raw) {
        var bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return raw;
        }
    }
}
