package org.roost.auth;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.roost.auth.sasl.Credential;
import org.roost.config.Cidr;

/**
 * One user as a database knows them, with Dovecot's field names: the credential (a stored {@code {SCHEME}hash},
 * or a check only the database can make), uid, gid, home and the other fields ({@code nologin},
 * {@code allow_nets}, {@code mail}, {@code quota_rule}…) in {@code extra}.
 */
public record UserRecord(String name, Credential credential, String uid, String gid, String home,
        Map<String, String> extra) {

    /** Why a known user may not log in from where they are. */
    public enum Denial { NOLOGIN, NETWORK }

    /** A user whose password is stored as {@code {SCHEME}value} (passwd-file, shadow, SQL, LDAP lookups). */
    public UserRecord(String name, String password, String uid, String gid, String home, Map<String, String> extra) {
        this(name, new Credential.Stored(password), uid, gid, home, extra);
    }

    /** The stored {@code {SCHEME}value}; empty when the database checks passwords itself. */
    public String password() {
        return credential instanceof Credential.Stored stored ? stored.value() : "";
    }

    public Optional<String> extraField(String key) {
        return Optional.ofNullable(extra.get(key));
    }

    /**
     * The user's own mail location (Dovecot's userdb {@code mail} field; {@code userdb_mail} in a passwd-file's
     * extra fields), over {@code mail.location}; empty when not given or blank.
     */
    public Optional<String> mailLocation() {
        return extraField("mail").or(() -> extraField("userdb_mail")).filter(value -> !value.isBlank());
    }

    /**
     * The groups whose ACL entries ({@code $name}, RFC 4314) apply to the user: Dovecot's {@code acl_groups} extra
     * field, names separated by commas ({@code userdb_acl_groups} in a passwd-file's extra fields).
     */
    public Set<String> aclGroups() {
        return extraField("acl_groups").or(() -> extraField("userdb_acl_groups")).stream()
                .flatMap(value -> Arrays.stream(value.split(","))).map(String::strip).filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Dovecot's {@code nologin} extra field: the user may not log in. */
    public boolean noLogin() {
        return extra.containsKey("nologin");
    }

    /**
     * Whether this user may log in from {@code remote} ({@code null} when unknown): {@code nologin} refuses
     * everywhere; {@code allow_nets=} (comma-separated CIDRs, IPv4 and IPv6) refuses other addresses, an
     * unknown address, and everything when the list cannot be parsed (Dovecot fails closed the same way).
     */
    public Optional<Denial> deniedFrom(InetAddress remote) {
        return noLogin() ? Optional.of(Denial.NOLOGIN) : networkDenial(remote);
    }

    /** {@code allow_nets=} alone: whether it refuses {@code remote}, as {@link #deniedFrom} describes. */
    public Optional<Denial> networkDenial(InetAddress remote) {
        var nets = extra.get("allow_nets");
        if (nets == null) {
            return Optional.empty();
        }
        return remote != null && allowedBy(nets, remote) ? Optional.empty() : Optional.of(Denial.NETWORK);
    }

    /**
     * The server this user is referred to (RFC 2221) by the {@code host}, {@code port}, {@code destuser} and
     * {@code reason} fields; required with {@code nologin}.
     */
    public Optional<Referral> referral() {
        return Referral.of(extra, noLogin());
    }

    private static boolean allowedBy(String nets, InetAddress remote) {
        try {
            for (var net : nets.split(",")) {
                if (!net.isBlank() && Cidr.parse(net.strip()).contains(remote)) {
                    return true;
                }
            }
            return false;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "UserRecord[" + name + "]";
    }
}
