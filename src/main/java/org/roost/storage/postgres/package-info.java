/**
 * The {@code postgres:} storage driver: metadata in PostgreSQL, message bodies in an S3-compatible object store,
 * so that any replica serves any user.
 *
 * <ul>
 * <li>{@link org.roost.storage.postgres.PostgresDriver}: opens the pool and the bucket, migrates the schema
 *     (Flyway, {@code db/roost-mail}), sweeps unused bodies.</li>
 * <li>{@code PostgresMailStore}, {@code PostgresMailbox}, {@code PostgresQuota}: the SPI over the tables; UIDs from
 *     {@code UPDATE mailboxes ... RETURNING} in the transaction that inserts the messages, and MODSEQs the same way
 *     ({@code MailboxStore.allocatesModseqs}), so that every replica serves the database's.</li>
 * <li>Parsed structures ({@code structures}, by body key): kept for every replica and every copy of a body, so the
 *     index's structure cache reads what another replica parsed instead of the body.</li>
 * <li>{@code ExpungedTrimmer}: keeps the expunge record QRESYNC reads to {@code mail.postgres.maxExpunged} per
 *     mailbox, noting where it stops being exact.</li>
 * <li>{@code Bodies}, {@code BodyStore}, {@code BodyCollector}: content-addressed bodies, their claim-store-mark
 *     order and their collection (see {@code Bodies} for why no message row can lose its body).</li>
 * <li>{@code BodyCache}: each replica's bounded copies of the bodies it read or stored, checked against their
 *     SHA-256 before each read, so a FETCH reads the local disk instead of the bucket.</li>
 * <li>{@code ChangeFeed}: LISTEN/NOTIFY between replicas (a trigger notifies each mailbox whose UIDNEXT or
 *     HIGHESTMODSEQ moved); watchers are woken, read the change token and catch up; after a reconnect every
 *     watcher looks once, so no change is missed. Each write returns its own change tokens
 *     ({@code MailboxStore.lastWrite}), so the index never takes another replica's change for its own.</li>
 * <li>{@code MailDatabase}: the pool, statement timeouts, retried transactions, {@code NO [UNAVAILABLE]} when the
 *     database does not answer.</li>
 * </ul>
 */
package org.roost.storage.postgres;
