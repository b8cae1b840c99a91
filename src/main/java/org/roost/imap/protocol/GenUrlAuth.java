package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.net.ProtocolViolation;

/**
 * GENURLAUTH (RFC 4467 §7, §9): {@code "GENURLAUTH" 1*(SP url-rump SP mechanism)}, at most
 * {@link ParserSettings#maxUrls()} pairs. A URL that is not a rump is BAD (§7: "MUST return a tagged BAD"), with
 * what is wrong in the words of §7's examples.
 */
public record GenUrlAuth(String tag, List<Request> requests) implements Command {
    public static final Syntax<GenUrlAuth> SYNTAX = GenUrlAuth::parse;

    /** One URL to authorize, with the mechanism asked for (upper-cased). */
    public record Request(UrlRump rump, String mechanism) {}

    public GenUrlAuth {
        requests = List.copyOf(requests);
    }

    @Override
    public String name() {
        return "GENURLAUTH";
    }

    private static GenUrlAuth parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var requests = new ArrayList<Request>();
        do {
            in.space();
            in.countUrl(requests.size());
            var url = in.url();
            var rump = UrlRump.parse(url, in.settings())
                    .orElseThrow(() -> new ImapParseException(UrlRump.problem(url, in.settings())));
            in.space();
            requests.add(new Request(rump, in.mechanism()));
        } while (in.reader().peek() == ' ');
        return new GenUrlAuth(tag, requests);
    }
}
