package org.roost.testing;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.roost.auth.password.Passwords;

/**
 * Postfixadmin's {@code mailbox} table (the columns Dovecot's documented queries read), on PostgreSQL or MariaDB,
 * with a read-only login {@value #ROLE} / {@value #ROLE_PASSWORD} and a few users:
 * {@code alice@example.org} ({@code {SHA512-CRYPT}}), {@code bob@example.org} (a bare {@code $1$} md5crypt, as
 * Postfixadmin's default {@code md5crypt} stores it), {@code carol@example.org} (inactive), {@code
 * dave@example.org} (an empty password).
 */
public final class Postfixadmin {
    public static final String ROLE = "roost";
    public static final String ROLE_PASSWORD = "sql-test-roost";
    public static final Map<String, String> PASSWORDS = Map.of("alice@example.org", "alice-secret",
            "bob@example.org", "bob-secret", "carol@example.org", "carol-secret", "dave@example.org", "");

    private Postfixadmin() {}

    /** Roost pointed at the database at {@code url} with the read-only login, passwd-file first (as environment). */
    public static Map<String, String> roostEnvironment(String url) {
        var env = new HashMap<String, String>();
        env.put("ROOST_AUTH_DATABASES", "passwdFile,sql");
        env.put("ROOST_AUTH_SQL_URL", url);
        env.put("ROOST_AUTH_SQL_USER", ROLE);
        env.put("ROOST_AUTH_SQL_PASSWORD", ROLE_PASSWORD);
        return env;
    }

    private static String table(boolean postgres) {
        return """
                CREATE TABLE mailbox (
                  username varchar(255) NOT NULL PRIMARY KEY,
                  password varchar(255) NOT NULL,
                  name varchar(255) NOT NULL DEFAULT '',
                  maildir varchar(255) NOT NULL,
                  quota bigint NOT NULL DEFAULT 0,
                  local_part varchar(255) NOT NULL,
                  domain varchar(255) NOT NULL,
                  created timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
                  modified timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
                  active %s NOT NULL DEFAULT %s
                )""".formatted(postgres ? "boolean" : "tinyint(1)", postgres ? "true" : "1");
    }

    /** Creates database {@code postfix} on PostgreSQL with the table, the read-only role and the users. */
    public static void createOnPostgres(PostgresServer server) throws SQLException {
        server.execute("postgres", "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
        server.execute("postgres", "CREATE DATABASE postfix");
        try (var c = DriverManager.getConnection(server.url("postfix"), "postgres", PostgresServer.SUPERUSER_PASSWORD)) {
            c.createStatement().execute(table(true));
            c.createStatement().execute("GRANT SELECT ON mailbox TO " + ROLE);
            seed(c);
        }
    }

    /** Creates database {@code postfix} on MariaDB with the table, the read-only user and the users. */
    public static void createOnMariaDb(MariaDbServer server) throws Exception {
        server.execute("CREATE DATABASE postfix; CREATE USER '" + ROLE + "'@'127.0.0.1' IDENTIFIED BY '"
                + ROLE_PASSWORD + "'; GRANT SELECT ON postfix.* TO '" + ROLE + "'@'127.0.0.1';"
                + "CREATE USER 'setup'@'127.0.0.1' IDENTIFIED BY 'setup'; GRANT ALL ON postfix.* TO 'setup'@'127.0.0.1';");
        try (var c = DriverManager.getConnection(server.url("postfix"), "setup", "setup")) {
            c.createStatement().execute(table(false));
            seed(c);
        }
    }

    private static void seed(Connection c) throws SQLException {
        add(c, "alice@example.org", Passwords.hash("SHA512-CRYPT", bytes("alice-secret")), true, 1024);
        add(c, "bob@example.org", Passwords.hash("MD5-CRYPT", bytes("bob-secret")).substring("{MD5-CRYPT}".length()),
                true, 0);
        add(c, "carol@example.org", Passwords.hash("SHA512-CRYPT", bytes("carol-secret")), false, 0);
        add(c, "dave@example.org", "", true, 0);
    }

    /** One mailbox row as Postfixadmin writes it. */
    public static void add(Connection c, String username, String stored, boolean active, long quota)
            throws SQLException {
        int at = username.indexOf('@');
        try (var insert = c.prepareStatement("INSERT INTO mailbox (username, password, name, maildir, quota,"
                + " local_part, domain, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, username);
            insert.setString(2, stored);
            insert.setString(3, username);
            insert.setString(4, username.substring(at + 1) + "/" + username.substring(0, at) + "/");
            insert.setLong(5, quota);
            insert.setString(6, username.substring(0, at));
            insert.setString(7, username.substring(at + 1));
            insert.setBoolean(8, active);
            insert.executeUpdate();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
