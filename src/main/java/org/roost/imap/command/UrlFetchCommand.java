package org.roost.imap.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.UrlFetch;
import org.roost.imap.protocol.response.ImapStrings;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.Reply;
import org.roost.imap.protocol.response.StructureFormatter;
import org.roost.imap.urlauth.PartBytes;
import org.roost.imap.urlauth.UrlAuthority;
import org.roost.imap.urlauth.UrlPart;
import org.roost.mail.mime.BodyStructure;

/**
 * URLFETCH (RFC 4467 §7): one untagged URLFETCH with each URL as sent and its part's octets, or NIL for any URL
 * that does not validate, whatever the reason (§8: nothing tells a mailbox that exists from one that does not). Only
 * URLAUTH-authorized URLs are fetched (§9 {@code url-full}). Nothing of a selected mailbox changes, no
 * {@code \Seen} is set. Every URL is checked, and every size and structure known, before the response starts, so a
 * response is never cut short by one.
 *
 * <p>URLAUTH=BINARY (RFC 5524): a URL enclosed with parameters is answered with one parenthesized item per
 * parameter (§3.2, §5 {@code url-metadata}): {@code (BODYPARTSTRUCTURE body)}, {@code (BODY nstring)},
 * {@code (BINARY nstring / literal8)}, the last NIL where the part's encoding cannot be undone (§5), which an untagged
 * {@code NO [UNKNOWN-CTE]} after the response explains (RFC 3516 §4.3's code).
 */
public final class UrlFetchCommand extends CommandExecutor<UrlFetch> {
    private final UrlAuthority authority;
    private final int binaryDecodeBuffer;

    /** {@code binaryDecodeBuffer}: the buffers BINARY decodes through ({@code limits.binaryDecodeBuffer}). */
    public UrlFetchCommand(UrlAuthority authority, int binaryDecodeBuffer) {
        super(SessionState.AUTHENTICATED_OR_SELECTED, Map.of("URLFETCH", UrlFetch.SYNTAX));
        this.authority = authority;
        this.binaryDecodeBuffer = binaryDecodeBuffer;
    }

    /** What one URL is answered with, all known before the response starts. */
    private sealed interface Answer {}

    private record Nil() implements Answer {}

    private record Octets(PartBytes bytes) implements Answer {}

    /** RFC 5524's items: a structure, the octets as stored or decoded (an empty decoding: NIL). */
    private record Items(Optional<BodyStructure> structure, Optional<Metadata> content) implements Answer {}

    /**
     * BODY or BINARY: the octets, empty for NIL; {@code literal8} when the part holds NUL; {@code unknownEncoding}
     * when NIL because the part's encoding is unknown (not because the section is no part).
     */
    private record Metadata(String name, Optional<PartBytes> value, boolean literal8, boolean unknownEncoding) {}

    @Override
    public Reply execute(UrlFetch command, CommandContext context) throws IOException {
        var user = context.facts().user().orElseThrow();
        var now = Instant.now();
        var answers = new ArrayList<Answer>();
        for (var request : command.requests()) {
            var found = request.url() instanceof ImapUrl.Authorized authorized
                    ? authority.fetch(authorized, user, context.mailboxes(), now) : Optional.<UrlPart>empty();
            answers.add(found.isEmpty() ? new Nil() : answer(request, found.get()));
        }
        var writer = context.writer();
        writer.ascii("* URLFETCH");
        boolean unknownEncoding = false;
        for (int i = 0; i < answers.size(); i++) {
            writer.ascii(" ").latin1(ImapStrings.quoted(command.requests().get(i).url().text()));
            switch (answers.get(i)) {
                case Nil nil -> writer.ascii(" NIL");
                case Octets octets -> {
                    writer.ascii(" ");
                    literal(writer, octets.bytes(), false);
                }
                case Items items -> unknownEncoding |= writeItems(writer, items);
            }
        }
        writer.endLine();
        if (unknownEncoding) {
            writer.untaggedStatus(ImapWriter.Status.NO, "UNKNOWN-CTE",
                    "A part's Content-Transfer-Encoding cannot be undone: its BINARY is NIL.");
        }
        return Reply.ok("URLFETCH completed.");
    }

    private Answer answer(UrlFetch.Request request, UrlPart part) throws IOException {
        if (!request.extended()) {
            return new Octets(part.bytes());
        }
        var items = request.items();
        boolean binary = items.contains(UrlFetch.Item.BINARY);
        var structure = items.contains(UrlFetch.Item.BODYPARTSTRUCTURE)
                ? part.structure(binary, binaryDecodeBuffer) : Optional.<BodyStructure>empty();
        if (items.contains(UrlFetch.Item.BODYPARTSTRUCTURE) && structure.isEmpty()) {
            return new Nil(); // no such part: §5 has no NIL structure, so the URL names nothing
        }
        Optional<Metadata> content = Optional.empty();
        if (binary) {
            var decoded = part.binary(binaryDecodeBuffer);
            content = Optional.of(new Metadata("BINARY", decoded.map(UrlPart.Decoded::bytes),
                    decoded.isPresent() && decoded.get().size().hasNul(), decoded.isEmpty() && part.isPart()));
        } else if (items.contains(UrlFetch.Item.BODY)) {
            content = Optional.of(new Metadata("BODY", Optional.of(part.bytes()), false, false));
        }
        return new Items(structure, content);
    }

    /** The items in §3.1's order; whether a BINARY was NIL for its part's unknown encoding. */
    private static boolean writeItems(ImapWriter writer, Items items) throws IOException {
        if (items.structure().isPresent()) {
            writer.ascii(" (BODYPARTSTRUCTURE ");
            StructureFormatter.writeBodyStructure(writer.stream(), items.structure().get());
            writer.ascii(")");
        }
        if (items.content().isEmpty()) {
            return false;
        }
        var content = items.content().get();
        writer.ascii(" (" + content.name() + " ");
        if (content.value().isEmpty()) {
            writer.ascii("NIL)");
            return content.unknownEncoding();
        }
        literal(writer, content.value().get(), content.literal8());
        writer.ascii(")");
        return false;
    }

    /** {@code {n}} or, holding NUL, {@code ~{n}} (RFC 3516 §7 {@code literal8}), then exactly n octets. */
    private static void literal(ImapWriter writer, PartBytes bytes, boolean literal8) throws IOException {
        writer.ascii((literal8 ? "~{" : "{") + bytes.size() + "}").endLine();
        try (var in = bytes.source().open()) {
            copyExactly(in, bytes.size(), writer.stream());
        }
    }

    /** A file that shrank meanwhile is padded with spaces: the literal's announced length is a promise. */
    private static void copyExactly(InputStream in, long count, OutputStream out) throws IOException {
        var buffer = new byte[8192];
        long left = count;
        for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
            out.write(buffer, 0, n);
            left -= n;
        }
        for (; left > 0; left--) {
            out.write(' ');
        }
    }
}
