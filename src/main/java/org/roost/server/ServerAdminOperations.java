package org.roost.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.roost.admin.AdminOperations;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.PasswordChain;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.auth.sasl.Credential;
import org.roost.auth.setup.UserDirectory;
import org.roost.fts.FullTextSearch;
import org.roost.index.IndexCache;
import org.roost.index.Quotas;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxNames;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.QuotaLimit;
import org.roost.net.Cancellation;
import org.roost.net.tls.ReloadingTls;

/** The admin API's view of the running server: user databases and mail store, secrets left out. */
final class ServerAdminOperations implements AdminOperations {
    private final UserDirectory users;
    private final PasswordChain passwd;
    private final ReloadingTls tls;
    private final IndexCache indexCache;
    private final FullTextSearch fullText;
    private final AclAdministration acls;

    ServerAdminOperations(UserDirectory users, IndexCache indexCache, FullTextSearch fullText, ReloadingTls tls) {
        this.users = users;
        this.fullText = fullText;
        this.passwd = users.chain();
        this.tls = tls;
        this.indexCache = indexCache;
        this.acls = new AclAdministration(passwd, indexCache);
    }

    /** The user's fields (Dovecot's userdb lookup) and the scheme their login lookup stores the password in. */
    @Override
    public Optional<UserView> user(String name) throws Unavailable {
        var query = UserQuery.internal(name);
        var login = ask(() -> passwd.lookup(query));
        return ask(() -> passwd.user(query)).map(u -> new UserView(u.name(), u.uid(), u.gid(), u.home(), u.extra(),
                login.map(ServerAdminOperations::scheme).orElse(null), u.noLogin()));
    }

    @Override
    public Optional<QuotaView> quota(String user) throws IOException {
        if (!known(user)) {
            return Optional.empty();
        }
        return Optional.of(view(user, indexCache.quotas().report(user)));
    }

    @Override
    public Optional<QuotaView> setQuota(String user, Optional<long[]> limits) throws IOException {
        if (!known(user)) {
            return Optional.empty();
        }
        var limit = limits.map(l -> new QuotaLimit(l[0], l[1]));
        return Optional.of(view(user, indexCache.quotas().override(user, limit)));
    }

    private static QuotaView view(String user, Quotas.Report report) {
        return new QuotaView(user, new QuotaResource(report.usage().storage(), report.limit().storage()),
                new QuotaResource(report.usage().messages(), report.limit().messages()), report.source());
    }

    /** Only the scheme name of the stored password is shown, never the hash. */
    private static String scheme(UserRecord user) {
        var stored = user.password();
        if (stored.isEmpty()) {
            return user.credential() instanceof Credential.Remote ? "BIND" : null;
        }
        int end = stored.indexOf('}');
        return stored.startsWith("{") && end > 0 ? stored.substring(1, end) : "CRYPT";
    }

    private static <T> T ask(Supplier<T> lookup) throws Unavailable {
        try {
            return lookup.get();
        } catch (DatabaseUnavailable e) {
            throw new Unavailable(e.getMessage());
        }
    }

    @Override
    public List<String> userNames(int limit) throws Unavailable {
        return ask(() -> passwd.userNames(limit));
    }

    @Override
    public List<AuthCacheStats> authCaches() {
        return users.caches().stream().map(c -> c.stats())
                .map(s -> new AuthCacheStats(s.database(), s.entries(), s.hits(), s.misses())).toList();
    }

    @Override
    public long flushAuthCache(Optional<String> user) {
        return users.caches().stream().mapToLong(c -> user.map(c::flush).orElseGet(c::flush)).sum();
    }

    private boolean known(String user) throws Unavailable {
        return ask(() -> passwd.lookup(UserQuery.internal(user))).isPresent();
    }

    @Override
    public Optional<List<MailboxSummary>> mailboxes(String user) throws IOException {
        if (!known(user)) {
            return Optional.empty();
        }
        var out = new ArrayList<MailboxSummary>();
        var mailboxes = indexCache.mailboxes(user);
        for (var info : mailboxes.list()) {
            if (!info.selectable()) {
                out.add(new MailboxSummary(info.name(), false, 0, 0, 0, 0, 0, 0));
                continue;
            }
            var status = mailboxes.status(info.name(), true, Cancellation.never());
            out.add(new MailboxSummary(info.name(), true, status.messages(), status.unseen(), status.recent(),
                    status.size(), status.uidValidity(), status.uidNext()));
        }
        return Optional.of(out);
    }

    @Override
    public Reindexed reindex(String user, Optional<String> mailbox) throws IOException {
        if (!known(user)) {
            return new Reindexed.NoSuchUser();
        }
        var mailboxes = indexCache.mailboxes(user);
        var names = new ArrayList<String>();
        if (mailbox.isPresent()) {
            names.add(MailboxNames.canonical(mailbox.get()));
        } else {
            mailboxes.list().stream().filter(i -> i.selectable()).forEach(i -> names.add(i.name()));
        }
        for (var name : names) {
            try {
                mailboxes.open(name).reindex();
            } catch (MailboxNotFoundException e) {
                return new Reindexed.NoSuchMailbox();
            } catch (InvalidMailboxNameException e) {
                return new Reindexed.InvalidMailboxName(e.reason());
            }
        }
        return new Reindexed.Done(names);
    }

    @Override
    public FullTextRebuild rebuildFullText(String user) throws IOException {
        if (!known(user)) {
            return FullTextRebuild.NO_SUCH_USER;
        }
        if (!fullText.enabled()) {
            return FullTextRebuild.DISABLED;
        }
        fullText.rebuild(user);
        return FullTextRebuild.QUEUED;
    }

    @Override
    public AclAnswer acl(String user, String mailbox) throws IOException {
        return askAcl(() -> acls.acl(user, mailbox));
    }

    @Override
    public AclAnswer setAcl(String user, String mailbox, String id, String rights) throws IOException {
        return askAcl(() -> acls.set(user, mailbox, id, rights));
    }

    @Override
    public AclAnswer deleteAcl(String user, String mailbox, String id) throws IOException {
        return askAcl(() -> acls.delete(user, mailbox, id));
    }

    @Override
    public AclAnswer rights(String user, String mailbox, Optional<String> requester) throws IOException {
        return askAcl(() -> acls.rights(user, mailbox, requester));
    }

    private interface AclWork {
        AclAnswer run() throws IOException;
    }

    private static AclAnswer askAcl(AclWork work) throws IOException {
        try {
            return work.run();
        } catch (DatabaseUnavailable e) {
            throw new Unavailable(e.getMessage());
        }
    }

    @Override
    public CacheStats cacheStats() {
        return new CacheStats(indexCache.hits(), indexCache.misses(), indexCache.evictions(), indexCache.rebuilds(),
                indexCache.bytes(), indexCache.openMailboxes());
    }

    @Override
    public boolean reloadTls() {
        return tls.reloadIfChanged();
    }

    @Override
    public int reloadPasswords() throws IOException {
        passwd.reload();
        return passwd.size();
    }
}
