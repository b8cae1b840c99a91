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
 * <p>On disk ({@code DATA/fts/USER}): Lucene's own files. Fields: {@code id} (mailbox key and UID, for
 * updates), {@code mailbox} (name and UIDVALIDITY), {@code uid} (doc values), {@code partial},
 * {@code body}, {@code headers} and {@code h:FIELD} (trigrams, documents only: no frequencies,
 * positions or norms).
 */
package org.roost.fts;
