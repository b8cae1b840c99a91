package org.roost.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.roost.acl.Acl;
import org.roost.acl.AclChange;
import org.roost.acl.AclEntry;
import org.roost.acl.Requester;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.admin.AdminOperations.AclAnswer;
import org.roost.admin.AdminOperations.AclEntryView;
import org.roost.auth.PasswordChain;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.index.IndexCache;
import org.roost.index.Mailboxes;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxNames;

/**
 * {@code doveadm acl get|set|delete|rights} for the admin API and {@code roost acl}: the same {@code dovecot-acl}
 * files the IMAP commands read and write, so that a change counts from the next command of every open session.
 * Users are looked up in the password database, mailboxes must exist, and every name, identifier and rights list
 * is checked before anything is written.
 */
final class AclAdministration {
    private final PasswordChain users;
    private final IndexCache indexCache;

    AclAdministration(PasswordChain users, IndexCache indexCache) {
        this.users = users;
        this.indexCache = indexCache;
    }

    AclAnswer acl(String user, String mailbox) throws IOException {
        return onMailbox(user, mailbox, (mailboxes, name) -> entries(user, name, mailboxes.acl(name)));
    }

    AclAnswer set(String user, String mailbox, String id, String rights) throws IOException {
        UnaryOperator<Acl> change;
        try {
            change = AclChange.of(id).set(rights);
        } catch (IllegalArgumentException | Rights.InvalidRights e) {
            return new AclAnswer.Invalid(e.getMessage());
        }
        return change(user, mailbox, change);
    }

    AclAnswer delete(String user, String mailbox, String id) throws IOException {
        UnaryOperator<Acl> change;
        try {
            change = AclChange.of(id).delete();
        } catch (IllegalArgumentException e) {
            return new AclAnswer.Invalid(e.getMessage());
        }
        return change(user, mailbox, change);
    }

    /** The requester's groups come from their own entry in the user database, as at their login. */
    AclAnswer rights(String user, String mailbox, Optional<String> requester) throws IOException {
        var who = requester.orElse(user);
        var record = users.user(UserQuery.internal(who));
        if (record.isEmpty()) {
            return new AclAnswer.NoSuchUser(who);
        }
        var asker = new Requester(who, record.map(UserRecord::aclGroups).orElseThrow(), who.equals(user));
        return onMailbox(user, mailbox, (mailboxes, name) -> {
            var held = mailboxes.acl(name).rightsOf(asker);
            return new AclAnswer.Held(user, name, who, held.letters(), names(held));
        });
    }

    private AclAnswer change(String user, String mailbox, UnaryOperator<Acl> change) throws IOException {
        return onMailbox(user, mailbox, (mailboxes, name) -> entries(user, name, mailboxes.changeAcl(name, change)));
    }

    private interface MailboxWork {
        AclAnswer apply(Mailboxes mailboxes, String name) throws IOException;
    }

    private AclAnswer onMailbox(String user, String mailbox, MailboxWork work) throws IOException {
        if (users.user(UserQuery.internal(user)).isEmpty()) {
            return new AclAnswer.NoSuchUser(user);
        }
        if (!indexCache.accessControlled()) {
            return new AclAnswer.Off();
        }
        var mailboxes = indexCache.mailboxes(user);
        var name = MailboxNames.canonical(mailbox);
        try {
            if (!mailboxes.exists(name)) {
                return new AclAnswer.NoSuchMailbox();
            }
            return work.apply(mailboxes, name);
        } catch (InvalidMailboxNameException e) {
            return new AclAnswer.Invalid("invalid mailbox name: " + e.reason());
        }
    }

    private static AclAnswer entries(String user, String name, Acl acl) {
        var views = new ArrayList<AclEntryView>();
        for (var entry : acl.entries()) {
            view(entry, entry.rights(), "").ifPresent(views::add);
            view(entry, entry.negative(), "-").ifPresent(views::add);
        }
        return new AclAnswer.Entries(user, name, views);
    }

    private static Optional<AclEntryView> view(AclEntry entry, Rights rights, String prefix) {
        return Optional.ofNullable(rights).map(r -> new AclEntryView(prefix + entry.identifier().fileForm(),
                entry.global(), r.letters(), names(r)));
    }

    private static List<String> names(Rights rights) {
        return rights.set().stream().sorted().map(Right::dovecotName).toList();
    }
}
