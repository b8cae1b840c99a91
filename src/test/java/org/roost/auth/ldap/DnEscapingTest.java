package org.roost.auth.ldap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.unboundid.ldap.sdk.DN;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 4514 section 2.4: any user name put in a DN template stays one attribute value of one RDN. */
class DnEscapingTest {

    @Test
    void specialCharactersAreEscaped() {
        assertEquals("a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h\\=i", DnEscaping.value("a,b+c\"d\\e<f>g;h=i"));
        assertEquals("\\ lead and trail\\ ", DnEscaping.value(" lead and trail "));
        assertEquals("\\#hash#", DnEscaping.value("#hash#"));
        assertEquals("nul\\00", DnEscaping.value("nul\0"));
    }

    /** Whatever the name, the DN parses back to uid=<that name>,ou=people (checked with UnboundID's parser). */
    @Test
    void everyNameRoundTripsThroughADnParser() throws Exception {
        var random = new Random(4514);
        var alphabet = " ,+\"\\<>;=#\0abcé*()".toCharArray();
        for (int i = 0; i < 5_000; i++) {
            var name = new StringBuilder();
            for (int n = 1 + random.nextInt(12); n > 0; n--) {
                name.append(alphabet[random.nextInt(alphabet.length)]);
            }
            var dn = new DN("uid=" + DnEscaping.value(name.toString()) + ",ou=people,dc=example,dc=org");
            assertEquals(4, dn.getRDNs().length, "seed 4514, case " + i + ": " + name);
            assertEquals(name.toString(), dn.getRDN().getAttributeValues()[0], "seed 4514, case " + i);
        }
    }
}
