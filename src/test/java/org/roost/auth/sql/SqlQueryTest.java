package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dovecot queries become statements with bind parameters; a variable is never spliced into the SQL text. */
class SqlQueryTest {

    @Test
    void quotedAndBareVariablesBecomeParameters() {
        assertEquals("SELECT password FROM mailbox WHERE username = ? AND active = '1'",
                SqlQuery.parse("SELECT password FROM mailbox WHERE username = '%u' AND active = '1'").sql());
        assertEquals("SELECT password FROM users WHERE userid = ? AND domain = ?",
                SqlQuery.parse("SELECT password FROM users WHERE userid = '%n' AND domain = '%d'").sql());
        assertEquals("SELECT x FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?",
                SqlQuery.parse("SELECT x FROM t WHERE a = %u AND b = '%{service}' AND c = '%r' AND d = '%Lu'").sql());
        assertEquals("SELECT CONCAT('*:bytes=', quota) FROM m WHERE u = ?",
                SqlQuery.parse("SELECT CONCAT('*:bytes=', quota) FROM m WHERE u = '%u'").sql());
        assertEquals("SELECT 'it''s' FROM m WHERE u = ? AND p LIKE 'a%'",
                SqlQuery.parse("SELECT 'it''s' FROM m WHERE u = '%u' AND p LIKE 'a%%'").sql());
    }

    @Test
    void aVariableInsideALongerLiteralOrAnUnknownOneIsRefusedWithItsName() {
        var inside = assertThrows(IllegalArgumentException.class,
                () -> SqlQuery.parse("SELECT p FROM m WHERE u = '%n@%d'"));
        assertTrue(inside.getMessage().startsWith("%n stands inside a longer string literal"), inside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.parse("SELECT p FROM m WHERE u = 'x%u'"));
        var unknown = assertThrows(IllegalArgumentException.class, () -> SqlQuery.parse("SELECT p WHERE u = '%w'"));
        assertTrue(unknown.getMessage().startsWith("unknown variable %w"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.parse("SELECT p LIKE 'a%'"));
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.parse("SELECT p WHERE u = '%u"));
        assertThrows(IllegalArgumentException.class, () -> SqlQuery.parse("SELECT %{user"));
    }

    /** Random templates never throw anything but IllegalArgumentException, and never keep a variable in the SQL. */
    @Test
    void hostileTemplates() {
        var random = new Random(17);
        var alphabet = "%'unds{}rL =xyz,()@".toCharArray();
        for (int i = 0; i < 20_000; i++) {
            var text = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            try {
                var sql = SqlQuery.parse(text.toString()).sql();
                assertTrue(!sql.contains("%u") || text.toString().contains("%%u"), "seed 17, case " + i + ": " + text);
            } catch (IllegalArgumentException expected) {
                // named in the message
            }
        }
    }
}
