package org.roost.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mail.postgres} and {@code mail.s3}: safe defaults, and a {@code postgres:} location refused until usable. */
class PostgresStoreConfigTest {
    @TempDir
    Path dir;

    private RoostConfig load(Map<String, String> env) throws Exception {
        var all = new HashMap<>(env);
        all.put("ROOST_DATA", dir.resolve("data").toString());
        return new ConfigLoader().load(null, all);
    }

    private Map<String, String> usable() {
        var env = new HashMap<String, String>();
        env.put("ROOST_MAIL_LOCATION", "postgres:%u");
        env.put("ROOST_MAIL_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/mail");
        env.put("ROOST_MAIL_POSTGRES_USER", "roost");
        env.put("ROOST_MAIL_POSTGRES_PASSWORD", "pw");
        env.put("ROOST_MAIL_S3_BUCKET", "roost-mail");
        return env;
    }

    private String error(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> load(env)).getMessage();
    }

    @Test
    void defaults() throws Exception {
        var mail = load(usable()).mail();
        assertEquals(10, mail.postgres().poolSize());
        assertEquals(Duration.ofSeconds(5), mail.postgres().timeout());
        assertTrue(mail.postgres().migrateAtStart());
        assertEquals(Duration.ofHours(1), mail.postgres().bodyGrace());
        assertEquals(100_000, mail.postgres().maxExpunged());
        assertEquals(256L * 1024 * 1024, mail.postgres().bodyCacheBytes());
        assertEquals("us-east-1", mail.s3().region());
        assertFalse(mail.s3().pathStyle());
    }

    @Test
    void noBodyCacheIsZeroNotNegative() throws Exception {
        var env = usable();
        env.put("ROOST_MAIL_POSTGRES_BODYCACHEBYTES", "0");
        assertEquals(0, load(env).mail().postgres().bodyCacheBytes());
        env.put("ROOST_MAIL_POSTGRES_BODYCACHEBYTES", "-1");
        assertTrue(error(env).contains("mail.postgres.bodyCacheBytes"));
    }

    @Test
    void theDefaultsAreNotCheckedForAMaildir() throws Exception {
        assertEquals(null, load(Map.of()).mail().postgres().url());
    }

    @Test
    void aPostgresLocationNeedsItsDatabaseAndBucket() {
        var env = usable();
        env.remove("ROOST_MAIL_POSTGRES_URL");
        env.remove("ROOST_MAIL_S3_BUCKET");
        var message = error(env);
        assertTrue(message.contains("mail.postgres.url"), message);
        assertTrue(message.contains("mail.s3.bucket"), message);
    }

    @Test
    void badValuesAreNamed() throws Exception {
        var env = usable();
        env.put("ROOST_MAIL_POSTGRES_URL", "jdbc:postgresql://db/mail?password=leak");
        env.put("ROOST_MAIL_POSTGRES_POOLSIZE", "0");
        env.put("ROOST_MAIL_POSTGRES_BODYGRACE", "1s");
        env.put("ROOST_MAIL_POSTGRES_MAXEXPUNGED", "9");
        env.put("ROOST_MAIL_POSTGRES_BODYCACHEBYTES", "1048575");
        env.put("ROOST_MAIL_S3_BUCKET", "Not_A_Bucket");
        env.put("ROOST_MAIL_S3_ENDPOINT", "ftp://store");
        env.put("ROOST_MAIL_S3_ACCESSKEY", "key-without-secret");
        var message = error(env);
        for (var key : new String[] {"must not hold the password", "mail.postgres.poolSize", "mail.postgres.bodyGrace",
                "mail.postgres.maxExpunged", "mail.postgres.bodyCacheBytes", "mail.s3.bucket", "mail.s3.endpoint", "mail.s3.accessKey"}) {
            assertTrue(message.contains(key), key + " in " + message);
        }
        assertFalse(message.contains("leak") && message.contains("pw"), "no secret echoed");
    }

    @Test
    void secretsFromFilesNotBoth() throws Exception {
        var secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
        var env = usable();
        env.put("ROOST_MAIL_POSTGRES_PASSWORDFILE", secret.toString());
        assertTrue(error(env).contains("mail.postgres.password"));
        env.remove("ROOST_MAIL_POSTGRES_PASSWORD");
        env.put("ROOST_MAIL_S3_ACCESSKEY", "id");
        env.put("ROOST_MAIL_S3_SECRETKEYFILE", secret.toString());
        assertEquals(secret, load(env).mail().s3().secretKeyFile());
    }

    @Test
    void postgresLocationsTakeNoOptions() {
        var env = usable();
        env.put("ROOST_MAIL_LOCATION", "postgres:%u:INDEX=/tmp");
        assertTrue(error(env).contains("option INDEX is not for postgres"), error(env));
    }
}
