package org.roost.imap.urlauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.roost.auth.Authenticator;
import org.roost.auth.DatabaseUnavailable;
import org.roost.config.RoostConfig;
import org.roost.imap.protocol.ImapUrl;
import org.roost.imap.protocol.MailboxName;
import org.roost.imap.protocol.UrlRump;
import org.roost.index.IndexCache;
import org.roost.index.Mailboxes;
import org.roost.mail.MailUnavailableException;
import org.roost.mail.MailboxNotFoundException;

/**
 * URLAUTH's INTERNAL mechanism (RFC 4467): authorizing a URL with the owner's mailbox access key, and checking
 * one before its message part is read. The token is {@value #VERSION} (the algorithm, §2.4.1: a later one can be
 * told apart) and the HMAC-SHA1 (RFC 2104) of the rump URL exactly as sent (§6), keyed with the mailbox's access
 * key, in lower-case hex: 42 digits, 160 bits.
 *
 * <p>Checking (§6) answers only "the part's bytes" or "nothing", the same for every failure: a session not
 * entitled by the access identifier, an expired URL, an unknown owner or mailbox, a mailbox without a key, a wrong
 * token. Where there is no key, the token is computed with a random plausible one all the same, so the time taken
 * does not tell whether a mailbox exists (§10).
 */
public final class UrlAuthority {
    /** The only mechanism (RFC 4467 §2.4.1), as responses write it (the RFC's examples: lower case). */
    public static final String MECHANISM = "INTERNAL";
    private static final String VERSION = "01";
    private static final String ALGORITHM = "HmacSHA1";
    private static final HexFormat HEX = HexFormat.of();

    /** Another user's mail, or empty when there is no such user. */
    @FunctionalInterface
    public interface UserMail {
        Optional<Mailboxes> of(String user) throws IOException;
    }

    private final boolean enabled;
    private final Set<String> submitUsers;
    private final UserMail users;
    private final byte[] plausibleKey = new byte[32];

    /**
     * {@code enabled}: URLAUTH URLs are honoured at all; {@code submitUsers}: the users authorized as message
     * submission entities (§3 {@code submit+}); {@code users}: where an owner's mail is.
     */
    public UrlAuthority(boolean enabled, List<String> submitUsers, UserMail users) {
        this.enabled = enabled;
        this.submitUsers = Set.copyOf(submitUsers);
        this.users = users;
        new SecureRandom().nextBytes(plausibleKey);
    }

    /** Whether URLAUTH is offered ({@code imap.urlauth.enabled}); when not, no authorized URL is honoured. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * As {@code imap.urlauth} configures it, finding owners in {@code authenticator}'s user database (a user it does
     * not know has no mail) and their mail in {@code indexCache}.
     */
    public static UrlAuthority of(RoostConfig.Urlauth config, Authenticator authenticator, IndexCache indexCache) {
        return new UrlAuthority(config.enabled(), config.submitUsers(), user -> {
            try {
                return authenticator.user(user).isPresent() ? Optional.of(indexCache.mailboxes(user)) : Optional.empty();
            } catch (DatabaseUnavailable e) {
                throw new MailUnavailableException("the user database cannot answer now: " + e.getMessage());
            }
        });
    }

    /**
     * GENURLAUTH (§7): the URLAUTH-authorized form of {@code rump}, whose mailbox (which exists) is one of
     * {@code mailboxes}, the owner's: the rump, {@code ":internal:"} and the token; the key is made on first use.
     */
    public String authorize(UrlRump rump, String mailbox, Mailboxes mailboxes) throws IOException {
        var validity = mailboxes.open(mailbox).current().uidValidity();
        var key = mailboxes.urlAuthKeys().keyOrNew(mailbox, validity);
        return rump.text() + ":internal:" + token(key, rump.text());
    }

    /**
     * The bytes an IMAP URL names for a session of {@code user} with {@code mailboxes}, or empty: a relative URL
     * in the user's own mail (CATENATE), an authorized one as {@link #fetch} finds it.
     */
    public Optional<PartBytes> read(ImapUrl url, String user, Mailboxes mailboxes, Instant now) throws IOException {
        var found = switch (url) {
            case ImapUrl.Relative relative -> UrlPart.find(relative.part(), mailboxes);
            case ImapUrl.Authorized authorized -> fetch(authorized, user, mailboxes, now);
            case ImapUrl.Invalid invalid -> Optional.<UrlPart>empty();
        };
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get().bytes());
    }

    /**
     * URLFETCH (§7): the part an authorized URL names, when the session of {@code user} (whose mail is
     * {@code mailboxes}) may have it at {@code now}; read with the owner's access, whoever fetches (§7).
     */
    public Optional<UrlPart> fetch(ImapUrl.Authorized url, String user, Mailboxes mailboxes, Instant now)
            throws IOException {
        var rump = url.rump();
        if (!enabled || !url.mechanism().equals(MECHANISM) || !entitled(rump.access(), user)
                || rump.expire().filter(now::isAfter).isPresent()) {
            return Optional.empty();
        }
        var ownerMail = rump.owner().equals(user) ? Optional.of(mailboxes) : users.of(rump.owner());
        var key = ownerMail.isEmpty() ? null : key(rump.part().mailbox(), ownerMail.get());
        var expected = token(key == null ? plausibleKey : key, rump.text());
        boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                url.token().getBytes(StandardCharsets.US_ASCII));
        return valid && key != null ? UrlPart.find(rump.part(), ownerMail.get()) : Optional.empty();
    }

    /** §3: who may use a URL of {@code access}; every caller is logged in, so anonymous is authuser here. */
    private boolean entitled(UrlRump.Access access, String user) {
        return switch (access) {
            case UrlRump.Submit submit -> submitUsers.contains(user);
            case UrlRump.User named -> named.user().equals(user);
            case UrlRump.AuthUser authUser -> true;
            case UrlRump.Anonymous anonymous -> true;
        };
    }

    /** The access key of the mailbox a URL names, or null when there is none (or no such mailbox). */
    private static byte[] key(MailboxName mailbox, Mailboxes mailboxes) throws IOException {
        if (!(mailbox instanceof MailboxName.Valid name) || !mailboxes.exists(name.name())) {
            return null;
        }
        try {
            var validity = mailboxes.open(name.name()).current().uidValidity();
            return mailboxes.urlAuthKeys().key(name.name(), validity);
        } catch (MailboxNotFoundException deletedMeanwhile) {
            return null;
        }
    }

    private static String token(byte[] key, String rump) {
        try {
            var mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return VERSION + HEX.formatHex(mac.doFinal(rump.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }
}
