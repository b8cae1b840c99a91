package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.net.ProtocolViolation;

/** URLFETCH (RFC 4467 §7, §9): {@code "URLFETCH" 1*(SP url-full)}, at most {@link ParserSettings#maxUrls()}. */
public record UrlFetch(String tag, List<ImapUrl> urls) implements Command {
    public static final Syntax<UrlFetch> SYNTAX = UrlFetch::parse;

    public UrlFetch {
        urls = List.copyOf(urls);
    }

    @Override
    public String name() {
        return "URLFETCH";
    }

    private static UrlFetch parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var urls = new ArrayList<ImapUrl>();
        do {
            in.space();
            in.countUrl(urls.size());
            urls.add(ImapUrl.parse(in.url(), in.settings()));
        } while (in.reader().peek() == ' ');
        return new UrlFetch(tag, urls);
    }
}
