package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.unboundid.ldap.sdk.Filter;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dovecot's variables with their values, and what a cache may key on. */
class LookupTemplateTest {
    private static final UserQuery QUERY = new UserQuery("Ann.Lee@Example.ORG", "imap",
            InetAddress.getLoopbackAddress());

    @Test
    void variablesTakeTheirValues() {
        assertEquals("u=Ann.Lee@Example.ORG n=Ann.Lee d=Example.ORG s=imap r=127.0.0.1 l=ann.lee@example.org %",
                LookupTemplate.parse("u=%u n=%n d=%d s=%s r=%r l=%Lu %%").expand(QUERY, v -> v));
        assertEquals("Ann.Lee|Example.ORG|imap|127.0.0.1",
                LookupTemplate.parse("%{username}|%{domain}|%{service}|%{rip}").expand(QUERY, v -> v));
        assertEquals("d=", LookupTemplate.parse("d=%d").expand(UserQuery.internal("nodomain"), v -> v));
    }

    @Test
    void ldapFilterValuesAreEscaped() {
        var hostile = new UserQuery("*)(uid=*))(|(uid=\\\0", "imap", null);
        var filter = LookupTemplate.parse("(&(objectClass=posixAccount)(uid=%u))").expand(hostile, Filter::encodeValue);
        assertEquals("(&(objectClass=posixAccount)(uid=\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\5c\\00))", filter);
    }

    @Test
    void aCacheKeysOnlyOnWhatTheTemplatesUse() {
        var plain = List.of(LookupTemplate.parse("SELECT p WHERE u = '%u'"));
        assertEquals(new UserQuery("Ann.Lee@Example.ORG", "", null), LookupTemplate.relevant(QUERY, plain));
        var byAddress = List.of(LookupTemplate.parse("SELECT p WHERE u = '%u'"), LookupTemplate.parse("%r"));
        assertEquals(new UserQuery("Ann.Lee@Example.ORG", "", QUERY.remote()), LookupTemplate.relevant(QUERY, byAddress));
    }
}
