/**
 * The full-text index: one Lucene index per user, fed by the mailboxes' change events, asked by SEARCH.
 *
 * <p>{@link org.roost.fts.FullTextSearch} holds the users' indexes and answers one search through a
 * {@link org.roost.fts.Lookup}; the {@code Indexer} keeps them current from a bounded queue; a message is
 * a {@code MessageDocument} of trigrams of its texts, folded as {@link org.roost.mail.mime.SearchText}
 * folds them, so the index only ever narrows: every message it names is confirmed by the matcher, every
 * message it cannot vouch for (not indexed yet, indexed in part) is read, and answers are those of a scan.
 * Attachments are read by {@code TikaAttachments}, bounded in bytes, characters, time and threads, for
 * the indexer and the matcher alike.
 *
 * <p>When the index does its work ({@code fts.deferredMessagesPerUser}): new mail is indexed when it is likely
 * to be searched, not at delivery. The {@code Backlog} counts each user's new messages; a mailbox goes to the
 * indexer when a SEARCH of it finds messages the index lacks (that search reads them, as any message not
 * indexed yet), when its user's backlog passes the bound (a user who never searches, a bulk import: indexed
 * in the background in batches, so no first SEARCH reads more than the bound), or at its first change since
 * the start (what a previous run or a crash left unindexed is found again from the store). With a bound of
 * 0 every change is indexed at once. Nothing of this is kept on disk: the store stays the truth.
 *
 * <p>On disk ({@code DATA/fts/USER}): Lucene's own files. Fields: {@code id} (mailbox key and UID, for
 * updates), {@code mailbox} (name and UIDVALIDITY), {@code uid} (doc values), {@code partial},
 * {@code body}, {@code headers} and {@code h:FIELD} (trigrams, documents only: no frequencies,
 * positions or norms).
 */
package org.roost.fts;
