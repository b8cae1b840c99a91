package org.roost.auth.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.LookupTemplate;
import org.roost.auth.RemoteSource;
import org.roost.auth.UserFields;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.config.RoostConfig;

/**
 * Users from PostgreSQL or MariaDB, as Dovecot's passdb/userdb sql: {@code passwordQuery} for logins (one row
 * with a {@code password} column, and any other fields), {@code userQuery} for the user's fields (empty: the
 * password query serves), {@code iterateQuery} for listing users ({@code user}, or {@code username} and
 * {@code domain}). Connections come from a HikariCP pool that starts empty, so the server starts while the
 * database is down; every wait (a connection, a query, a socket read) is bounded by {@code auth.sql.timeout}.
 * A query that returns two rows for one user, or no password column, is a broken database, not a wrong password.
 */
public final class SqlDatabase implements RemoteSource {
    private final HikariDataSource pool;
    private final SqlQuery passwordQuery;
    private final Optional<SqlQuery> userQuery;
    private final Optional<SqlQuery> iterateQuery;
    private final String defaultScheme;
    private final int queryTimeoutSeconds;
    private final String where;

    private SqlDatabase(RoostConfig.Sql config, String password, SqlQuery passwordQuery, Optional<SqlQuery> userQuery,
            Optional<SqlQuery> iterateQuery) {
        this.passwordQuery = passwordQuery;
        this.userQuery = userQuery;
        this.iterateQuery = iterateQuery;
        this.defaultScheme = config.defaultScheme();
        this.queryTimeoutSeconds = seconds(config.timeout());
        this.where = config.url();
        this.pool = new HikariDataSource(poolConfig(config, password));
    }

    /**
     * A database for {@code config} with the password already read from its file; no connection is made yet.
     *
     * @throws IllegalArgumentException naming the query that cannot be turned into bind parameters
     */
    public static SqlDatabase open(RoostConfig.Sql config, String password) {
        return new SqlDatabase(config, password, parse("passwordQuery", config.passwordQuery()),
                optional("userQuery", config.userQuery()), optional("iterateQuery", config.iterateQuery()));
    }

    /** Turns every query into bind parameters without connecting. */
    public static void check(RoostConfig.Sql config) {
        parse("passwordQuery", config.passwordQuery());
        optional("userQuery", config.userQuery());
        optional("iterateQuery", config.iterateQuery());
    }

    private static Optional<SqlQuery> optional(String key, String text) {
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(parse(key, text));
    }

    private static SqlQuery parse(String key, String text) {
        try {
            return SqlQuery.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.sql." + key + ": " + e.getMessage(), e);
        }
    }

    private static HikariConfig poolConfig(RoostConfig.Sql config, String password) {
        var hikari = new HikariConfig();
        hikari.setPoolName("roost-sql");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(0);
        // The pool gives up a little before the login's deadline, so what is reported is the pool's own account
        // (connections in use, idle, waiting, and the last connection failure) rather than a bare timeout.
        hikari.setConnectionTimeout(Math.max(250, config.timeout().toMillis() * 9 / 10));
        hikari.setValidationTimeout(Math.max(250, config.timeout().toMillis() / 2));
        hikari.setInitializationFailTimeout(-1);
        hikari.setReadOnly(true);
        // Named, not detected: HikariCP learns the default isolation from its first connection, and when that
        // connection breaks during the check (the database killed at that moment) it keeps "none" and then asks
        // every later connection for an isolation level MariaDB refuses, so the pool never connects again.
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Beyond the login's own deadline, a socket read that hangs still ends, so a stuck server cannot pin
        // connections (PostgreSQL counts in seconds, MariaDB in milliseconds).
        var backstop = config.timeout().multipliedBy(2);
        if (config.url().startsWith("jdbc:postgresql:")) {
            hikari.addDataSourceProperty("connectTimeout", Integer.toString(seconds(config.timeout())));
            hikari.addDataSourceProperty("socketTimeout", Integer.toString(seconds(backstop)));
            hikari.addDataSourceProperty("ApplicationName", "roost");
        } else {
            hikari.addDataSourceProperty("connectTimeout", Long.toString(config.timeout().toMillis()));
            hikari.addDataSourceProperty("socketTimeout", Long.toString(backstop.toMillis()));
        }
        return hikari;
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public UserQuery relevant(UserQuery query) {
        var templates = Stream.concat(Stream.of(passwordQuery), userQuery.stream()).map(SqlQuery::template).toList();
        return LookupTemplate.relevant(query, templates);
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        return one(passwordQuery, query, true);
    }

    @Override
    public Optional<UserRecord> user(UserQuery query) {
        return userQuery.isPresent() ? one(userQuery.get(), query, false) : lookup(query);
    }

    private Optional<UserRecord> one(SqlQuery sql, UserQuery query, boolean needsPassword) {
        try (var connection = pool.getConnection();
                var statement = sql.prepare(connection, query)) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.setMaxRows(2);
            try (var rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                var fields = fields(rows);
                if (rows.next()) {
                    throw new DatabaseUnavailable("sql: the query returned more than one row for one user");
                }
                if (needsPassword && !hasPasswordColumn(rows)) {
                    throw new DatabaseUnavailable("sql: auth.sql.passwordQuery returned no 'password' column");
                }
                return Optional.of(UserFields.record(name(), query.user(), fields, defaultScheme, Optional.empty()));
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailable("sql: " + describe(e), e);
        }
    }

    /**
     * The error with its SQL state and, for the pool's timeout, the last connection failure behind it (refused,
     * access denied...), which is what an operator needs to see.
     */
    private static String describe(SQLException e) {
        var text = e.getMessage() + " (SQL state " + e.getSQLState() + ")";
        return e.getCause() == null ? text : text + ", last failure: " + e.getCause().getMessage();
    }

    /** The row's non-null columns by their lower-cased labels. */
    private static Map<String, String> fields(ResultSet row) throws SQLException {
        var meta = row.getMetaData();
        var out = new LinkedHashMap<String, String>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            var value = row.getString(i);
            if (value != null) {
                out.putIfAbsent(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), value);
            }
        }
        return out;
    }

    /** A NULL password is a user without one; no such column at all is a broken query. */
    private static boolean hasPasswordColumn(ResultSet rows) throws SQLException {
        var meta = rows.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            var name = meta.getColumnLabel(i).toLowerCase(Locale.ROOT);
            if (name.equals("password") || name.equals("password_noscheme")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> userNames(int limit) {
        if (iterateQuery.isEmpty()) {
            return List.of();
        }
        try (var connection = pool.getConnection();
                var statement = iterateQuery.get().prepare(connection, UserQuery.internal(""))) {
            statement.setQueryTimeout(queryTimeoutSeconds);
            statement.setMaxRows(limit);
            var names = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next() && names.size() < limit) {
                    userName(fields(rows)).ifPresent(names::add);
                }
            }
            return names;
        } catch (SQLException e) {
            throw new DatabaseUnavailable("sql: " + describe(e), e);
        }
    }

    /** Dovecot's iterate fields: {@code user}, or {@code username} with an optional {@code domain}. */
    private static Optional<String> userName(Map<String, String> row) {
        if (row.containsKey("user")) {
            return Optional.of(row.get("user"));
        }
        var username = row.get("username");
        var domain = row.get("domain");
        return Optional.ofNullable(username).map(u -> domain == null || domain.isEmpty() ? u : u + "@" + domain);
    }

    @Override
    public Status status() {
        try (var connection = pool.getConnection()) {
            var meta = connection.getMetaData();
            return new Status(true, meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion() + " at "
                    + where);
        } catch (SQLException e) {
            return new Status(false, where + ": " + describe(e));
        }
    }

    @Override
    public void reload() {}

    @Override
    public void close() {
        pool.close();
    }
}
