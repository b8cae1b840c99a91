package org.roost.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.admin.AdminOperations;
import org.roost.auth.PasswordDatabase;
import org.roost.index.IndexCache;
import org.roost.index.Quotas;
import org.roost.mail.QuotaLimit;
import org.roost.net.tls.ReloadingTls;
import org.roost.storage.InvalidMailboxNameException;
import org.roost.storage.MailboxNotFoundException;

/** The admin API's view of the running server: password database and mail store, secrets left out. */
final class ServerAdminOperations implements AdminOperations {
    private final PasswordDatabase passwd;
    private final ReloadingTls tls;
    private final IndexCache indexCache;

    ServerAdminOperations(PasswordDatabase passwd, IndexCache indexCache, ReloadingTls tls) {
        this.passwd = passwd;
        this.tls = tls;
        this.indexCache = indexCache;
    }

    @Override
    public Optional<UserView> user(String name) {
        return passwd.lookup(name).map(u -> new UserView(u.name(), u.uid(), u.gid(), u.home(), u.extra(),
                scheme(u.password()), u.noLogin()));
    }

    @Override
    public Optional<QuotaView> quota(String user) throws IOException {
        if (passwd.lookup(user).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(view(user, indexCache.quotas().report(user)));
    }

    @Override
    public Optional<QuotaView> setQuota(String user, Optional<long[]> limits) throws IOException {
        if (passwd.lookup(user).isEmpty()) {
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
    private static String scheme(String stored) {
        int end = stored.indexOf('}');
        return stored.startsWith("{") && end > 0 ? stored.substring(1, end) : "CRYPT";
    }

    @Override
    public Optional<List<MailboxSummary>> mailboxes(String user) throws IOException {
        if (passwd.lookup(user).isEmpty()) {
            return Optional.empty();
        }
        var out = new ArrayList<MailboxSummary>();
        for (var info : indexCache.store(user).list()) {
            if (!info.selectable()) {
                out.add(new MailboxSummary(info.name(), false, 0, 0, 0, 0, 0, 0));
                continue;
            }
            var state = indexCache.open(user, info.name());
            var snapshot = state.refresh(true);
            out.add(new MailboxSummary(info.name(), true, snapshot.count(), snapshot.unseenCount(),
                    state.unclaimedRecent(), snapshot.totalVirtualSize(), snapshot.uidValidity(), snapshot.uidNext()));
        }
        return Optional.of(out);
    }

    @Override
    public Reindexed reindex(String user, Optional<String> mailbox) throws IOException {
        if (passwd.lookup(user).isEmpty()) {
            return new Reindexed.NoSuchUser();
        }
        var names = new ArrayList<String>();
        if (mailbox.isPresent()) {
            names.add(IndexCache.canonical(mailbox.get()));
        } else {
            indexCache.store(user).list().stream().filter(i -> i.selectable()).forEach(i -> names.add(i.name()));
        }
        for (var name : names) {
            try {
                indexCache.reindex(user, name);
            } catch (MailboxNotFoundException e) {
                return new Reindexed.NoSuchMailbox();
            } catch (InvalidMailboxNameException e) {
                return new Reindexed.InvalidMailboxName(e.reason());
            }
        }
        return new Reindexed.Done(names);
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
