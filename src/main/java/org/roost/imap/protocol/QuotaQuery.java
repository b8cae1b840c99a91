package org.roost.imap.protocol;

/** A question about quota (RFC 9208 §4.1): GETQUOTA of a quota root, or GETQUOTAROOT of a mailbox. */
public sealed interface QuotaQuery extends Command {

    /** GETQUOTA (RFC 9208 §4.1.1): {@code "GETQUOTA" SP quota-root-name}, the name an {@code astring}. */
    record GetQuota(String tag, String root) implements QuotaQuery {
        public static final Syntax<GetQuota> SYNTAX = (tag, in) -> {
            in.space();
            return new GetQuota(tag, in.astring());
        };

        @Override
        public String name() {
            return "GETQUOTA";
        }
    }

    /**
     * GETQUOTAROOT (RFC 9208 §4.1.2): {@code "GETQUOTAROOT" SP mailbox}; the mailbox need not exist (the
     * answer tells which root a new one would have).
     */
    record GetQuotaRoot(String tag, MailboxName mailbox) implements QuotaQuery {
        public static final Syntax<GetQuotaRoot> SYNTAX = (tag, in) -> new GetQuotaRoot(tag, in.mailboxArgument());

        @Override
        public String name() {
            return "GETQUOTAROOT";
        }
    }
}
