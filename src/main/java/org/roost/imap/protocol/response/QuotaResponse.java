package org.roost.imap.protocol.response;

import java.io.IOException;
import java.util.List;

/** The QUOTA and QUOTAROOT responses of RFC 9208 §4.2. */
public final class QuotaResponse {
    private QuotaResponse() {}

    /** A {@code quota-resource}: a resource name, its usage and its limit. */
    public record Resource(String name, long usage, long limit) {}

    /** {@code * QUOTAROOT mailbox *(SP quota-root-name)}; {@code wireMailbox} as the client named it. */
    public static void quotaRoot(ImapWriter writer, String wireMailbox, List<String> roots) throws IOException {
        var sb = new StringBuilder("QUOTAROOT ").append(ImapStrings.astring(wireMailbox));
        roots.forEach(root -> sb.append(' ').append(ImapStrings.astring(root)));
        writer.untagged(sb.toString());
    }

    /** {@code * QUOTA quota-root-name (resource usage limit ...)}; {@code resources} never empty (the ABNF's 1*). */
    public static void quota(ImapWriter writer, String root, List<Resource> resources) throws IOException {
        var sb = new StringBuilder("QUOTA ").append(ImapStrings.astring(root)).append(" (");
        for (int i = 0; i < resources.size(); i++) {
            var r = resources.get(i);
            sb.append(i == 0 ? "" : " ").append(r.name()).append(' ').append(r.usage()).append(' ').append(r.limit());
        }
        writer.untagged(sb.append(')').toString());
    }
}
