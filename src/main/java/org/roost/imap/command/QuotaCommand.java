package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.roost.acl.Right;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.QuotaQuery;
import org.roost.imap.protocol.response.QuotaResponse;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.Quotas;

/**
 * GETQUOTA and GETQUOTAROOT (RFC 9208 §4.1.1-2). Each user has one quota root over all their mailboxes,
 * named {@value #ROOT} as Dovecot names it, so that scripts written against Dovecot keep working. A user
 * without limits has no root: GETQUOTAROOT lists none (§4.2.2) and GETQUOTA finds none. Only limited
 * resources are listed (§4.2.1); STORAGE in units of 1024 octets, rounded up as Dovecot does. SETQUOTA is
 * not offered (no QUOTASET): limits belong to the user database and the admin API.
 */
public final class QuotaCommand extends CommandExecutor<QuotaQuery> {
    static final String ROOT = "User quota";
    private static final long KIB = 1024;

    public QuotaCommand() {
        super(SessionState.AUTHENTICATED_OR_SELECTED,
                Map.of("GETQUOTA", QuotaQuery.GetQuota.SYNTAX, "GETQUOTAROOT", QuotaQuery.GetQuotaRoot.SYNTAX),
                List.of(Capability.afterLogin("QUOTA"), Capability.afterLogin("QUOTA=RES-STORAGE"),
                        Capability.afterLogin("QUOTA=RES-MESSAGE")));
    }

    @Override
    public Reply execute(QuotaQuery command, CommandContext context) throws IOException {
        var resources = resources(context.mailboxes().quota());
        return switch (command) {
            case QuotaQuery.GetQuota q -> {
                if (resources.isEmpty() || !q.root().equals(ROOT)) {
                    yield Reply.no("Quota root does not exist.");
                }
                QuotaResponse.quota(context.writer(), ROOT, resources);
                yield Reply.ok("GETQUOTA completed.");
            }
            case QuotaQuery.GetQuotaRoot q -> {
                // RFC 9208 §6: STORAGE and MESSAGE tell of the mailbox's messages, so they need r
                var refused = q.mailbox() instanceof MailboxName.Valid valid && !resources.isEmpty()
                        ? Access.refusal(Access.of(context, valid.name()), Right.READ) : null;
                if (refused != null) {
                    yield refused;
                }
                var roots = resources.isEmpty() ? List.<String>of() : List.of(ROOT);
                QuotaResponse.quotaRoot(context.writer(), q.mailbox().wire(), roots);
                if (!resources.isEmpty()) {
                    QuotaResponse.quota(context.writer(), ROOT, resources);
                }
                yield Reply.ok("GETQUOTAROOT completed.");
            }
        };
    }

    /** The limited resources with their usage, STORAGE first (Dovecot's order). */
    private static List<QuotaResponse.Resource> resources(Quotas.Report report) {
        var limit = report.limit();
        var usage = report.usage();
        var resources = new ArrayList<QuotaResponse.Resource>(2);
        if (limit.storage() > 0) {
            resources.add(new QuotaResponse.Resource("STORAGE", kibibytes(usage.storage()), kibibytes(limit.storage())));
        }
        if (limit.messages() > 0) {
            resources.add(new QuotaResponse.Resource("MESSAGE", usage.messages(), limit.messages()));
        }
        return resources;
    }

    private static long kibibytes(long bytes) {
        return Math.ceilDiv(Math.max(bytes, 0), KIB);
    }
}
