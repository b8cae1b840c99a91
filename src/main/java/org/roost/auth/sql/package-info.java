/**
 * The SQL user database (Dovecot's passdb/userdb sql) over JDBC and HikariCP, for PostgreSQL and MariaDB: Dovecot
 * queries whose variables become bind parameters ({@link org.roost.auth.sql.SqlQuery}), rows read as Dovecot's
 * fields. Deadlines, meters and the cache come from {@link org.roost.auth.RemoteDatabase} and
 * {@link org.roost.auth.CachedDatabase}.
 */
package org.roost.auth.sql;
