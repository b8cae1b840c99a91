/**
 * SORT and THREAD (RFC 5256) with SORT=DISPLAY (RFC 5957) and ESORT (RFC 5267): the executors, and the two threading
 * algorithms over the messages a search found. Sort values come from the index's kept rankings
 * ({@link org.roost.index.SortRanking}); a plain SORT by one of them is written from its kept order
 * ({@code KeptOrder}); threading reads the thread keys the index keeps
 * ({@link org.roost.mail.sort.ThreadKeys}: numbers and ranks, no strings).
 */
package org.roost.imap.sort;
