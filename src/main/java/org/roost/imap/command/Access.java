package org.roost.imap.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.imap.protocol.response.Reply;
import org.roost.index.Mailboxes;
import org.roost.mail.MailboxInfo;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * The rights commands need (RFC 4314 §4), and the answers when they are missing, chosen so that a mailbox the user
 * may not see is not told apart from one that does not exist (§6): {@code NO [NONEXISTENT]} without {@code l},
 * {@code NO [NOPERM]} with it. Rights are looked up afresh for each command (a {@code stat} of the ACL files), so a
 * change made meanwhile counts at the next command.
 */
public final class Access {
    static final Reply NONEXISTENT = Reply.no("NONEXISTENT", "Mailbox does not exist.");
    static final Reply NOPERM = Reply.no("NOPERM", "Permission denied.");
    /**
     * A refusal for want of {@code l}: the words of {@link #NONEXISTENT} (§6), but this very instance, so that
     * {@link #isDenial} can tell it from a mailbox that really does not exist; {@link #HIDDEN_TARGET} likewise for
     * the target of APPEND, COPY and MOVE (RFC 3501 §6.4.7's TRYCREATE).
     */
    static final Reply HIDDEN = Reply.no("NONEXISTENT", "Mailbox does not exist.");
    static final Reply HIDDEN_TARGET = Reply.no("TRYCREATE", "Mailbox does not exist.");

    private Access() {}

    /**
     * The user's rights on mailbox {@code name}; every right for a command run on a mailbox view alone, without
     * the user's mailboxes (which only the session's own tools do).
     */
    public static Rights of(CommandContext context, String name) throws IOException {
        return context.mailboxes() == null ? Rights.ALL : context.mailboxes().myRights(name);
    }

    /** The user's rights on the selected mailbox. */
    public static Rights ofSelected(CommandContext context) throws IOException {
        return of(context, context.selected().name());
    }

    /** Null when {@code rights} hold every one {@code needed}; else {@link #denied}. */
    public static Reply refusal(Rights rights, Right... needed) {
        for (var right : needed) {
            if (!rights.has(right)) {
                return denied(rights);
            }
        }
        return null;
    }

    /** The answer to a command these rights do not allow, which tells no more than they let the user see. */
    public static Reply denied(Rights rights) {
        return rights.has(Right.LOOKUP) ? NOPERM : HIDDEN;
    }

    /** Whether {@code reply} refuses a command for want of rights (what {@code roost_acl_denials_total} counts). */
    public static boolean isDenial(Reply reply) {
        return reply == HIDDEN || reply == HIDDEN_TARGET || "NOPERM".equals(reply.code());
    }

    /**
     * The user's mailboxes LIST may show (RFC 4314 §4: those with {@code l}, and the parents without a mailbox of
     * their own that one of those needs); every one without ACLs. Parents the user may not list are left out, so
     * that a listable child is shown as if its parent did not exist. The rights it looked up are put in
     * {@code rights}, so that a LIST-STATUS need not look them up again.
     */
    static List<MailboxInfo> listable(Mailboxes mailboxes, Map<String, Rights> rights) throws IOException {
        var all = mailboxes.list();
        if (!mailboxes.accessControlled()) {
            return all;
        }
        var visible = new ArrayList<MailboxInfo>(all.size());
        var neededParents = new HashSet<String>();
        for (var info : all) {
            if (info.selectable() && rightsOf(mailboxes, info.name(), rights).has(Right.LOOKUP)) {
                visible.add(info);
                var name = info.name();
                for (int cut = name.indexOf(mailboxes.delimiter()); cut > 0;
                        cut = name.indexOf(mailboxes.delimiter(), cut + 1)) {
                    neededParents.add(name.substring(0, cut));
                }
            }
        }
        all.stream().filter(info -> !info.selectable() && neededParents.contains(info.name())).forEach(visible::add);
        return visible;
    }

    private static Rights rightsOf(Mailboxes mailboxes, String name, Map<String, Rights> rights) throws IOException {
        var found = mailboxes.myRights(name);
        rights.put(name, found);
        return found;
    }

    /**
     * Whether a session may change messages of a mailbox it opens with these rights (RFC 4314 §5.2: READ-WRITE
     * with {@code i}, {@code e} or a flag right).
     */
    /** RFC 5464 §3.3: a mailbox's annotations are read and set with {@code l} and one of {@code r s w i p}. */
    public static boolean mayAnnotate(Rights rights) {
        return rights.has(Right.LOOKUP) && (rights.has(Right.READ) || rights.has(Right.WRITE_SEEN)
                || rights.has(Right.WRITE) || rights.has(Right.INSERT) || rights.has(Right.POST));
    }

    public static boolean writable(Rights rights) {
        return rights.has(Right.INSERT) || rights.has(Right.EXPUNGE) || rights.has(Right.WRITE)
                || rights.has(Right.WRITE_SEEN) || rights.has(Right.WRITE_DELETED);
    }

    /** Whether {@code rights} let the user set or clear every flag and keyword. */
    static boolean allFlags(Rights rights) {
        return rights.has(Right.WRITE) && rights.has(Right.WRITE_SEEN) && rights.has(Right.WRITE_DELETED);
    }

    /** RFC 4314 §4: {@code \Seen} needs {@code s}, {@code \Deleted} needs {@code t}, every other flag {@code w}. */
    static boolean mayChange(Rights rights, SystemFlag flag) {
        return switch (flag) {
            case SEEN -> rights.has(Right.WRITE_SEEN);
            case DELETED -> rights.has(Right.WRITE_DELETED);
            default -> rights.has(Right.WRITE);
        };
    }

    /** The system flags of {@code flags} the user may set or clear. */
    static Set<SystemFlag> allowed(Rights rights, Set<SystemFlag> flags) {
        var allowed = EnumSet.noneOf(SystemFlag.class);
        flags.stream().filter(flag -> mayChange(rights, flag)).forEach(allowed::add);
        return allowed;
    }

    /** The keywords of {@code keywords} the user may set or clear: all with {@code w}, else none. */
    static Set<String> allowedKeywords(Rights rights, Set<String> keywords) {
        return rights.has(Right.WRITE) ? keywords : Set.of();
    }

    /**
     * What a message's flags become when the user replaces them with {@code wanted}: those the user may not change
     * stay as they are.
     */
    static Set<SystemFlag> replaced(Rights rights, Set<SystemFlag> current, Set<SystemFlag> wanted) {
        var result = EnumSet.noneOf(SystemFlag.class);
        current.stream().filter(flag -> !mayChange(rights, flag)).forEach(result::add);
        result.addAll(allowed(rights, wanted));
        return result;
    }

    /**
     * A message as a COPY or MOVE into a mailbox with {@code rights} stores it: without the flags those rights do
     * not let the user set (RFC 4314 §4; the copy is made all the same).
     */
    static StoredMessage asCopiedWith(Rights rights, StoredMessage message) {
        return allFlags(rights) ? message : new StoredMessage(message.uid(), message.key(),
                allowed(rights, message.flags()), allowedKeywords(rights, message.keywords()), message.internalDate(),
                message.physicalSize(), message.virtualSize());
    }

    /** The keywords a message keeps when the user replaces them with {@code wanted}. */
    static Set<String> replacedKeywords(Rights rights, Set<String> current, Set<String> wanted) {
        return rights.has(Right.WRITE) ? wanted : new HashSet<>(current);
    }
}
