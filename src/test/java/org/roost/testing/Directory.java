package org.roost.testing;

import java.nio.charset.StandardCharsets;
import org.roost.auth.password.Passwords;

/**
 * An OpenLDAP directory as a mail host keeps it: {@code ou=people} with posixAccount entries. Users:
 * {@code lara} ({@code {SSHA}}, home, uid/gid numbers), {@code leo} ({@code {SSHA512}}), {@code x*} (a name
 * with a filter metacharacter), {@code mira} (whose mail lives elsewhere: {@code mailHost}, misc.schema's
 * inetLocalMailRecipient), and the service account {@link SlapdServer#SERVICE_DN}.
 */
public final class Directory {
    public static final String PEOPLE = "ou=people," + SlapdServer.SUFFIX;

    private Directory() {}

    public static String ldif(int extraUsers) {
        var out = new StringBuilder("""
                dn: %1$s
                objectClass: dcObject
                objectClass: organization
                dc: example
                o: Example

                dn: %2$s
                objectClass: organizationalUnit
                ou: people

                dn: %3$s
                objectClass: person
                objectClass: simpleSecurityObject
                cn: roost
                sn: roost
                userPassword: %4$s

                """.formatted(SlapdServer.SUFFIX, PEOPLE, SlapdServer.SERVICE_DN,
                hash("SSHA", SlapdServer.SERVICE_PASSWORD)));
        out.append(person("lara", hash("SSHA", "lara-ldap"), 2001));
        out.append(person("leo", hash("SSHA512", "leo-ldap"), 2002));
        out.append(person("x*", hash("SSHA", "star-ldap"), 2003));
        out.append(person("mira", hash("SSHA", "mira-ldap"), 2004).strip()).append("""

                objectClass: inetLocalMailRecipient
                mailHost: imap2.example.org

                """);
        for (int i = 1; i <= extraUsers; i++) {
            out.append(person("user" + i, hash("SSHA", "pw" + i), 10_000 + i));
        }
        return out.toString();
    }

    static String person(String uid, String password, int number) {
        return """
                dn: uid=%1$s,%2$s
                objectClass: inetOrgPerson
                objectClass: posixAccount
                uid: %1$s
                cn: %1$s
                sn: %1$s
                uidNumber: %3$d
                gidNumber: %3$d
                homeDirectory: /home/%1$s
                userPassword: %4$s

                """.formatted(uid, PEOPLE, number, password);
    }

    /** A userPassword value in RFC 2307 form, as slapd verifies binds against it. */
    public static String hash(String scheme, String password) {
        return Passwords.hash(scheme, password.getBytes(StandardCharsets.UTF_8));
    }
}
