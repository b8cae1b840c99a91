/**
 * SORT and THREAD (RFC 5256) with SORT=DISPLAY (RFC 5957) and ESORT (RFC 5267): the executors, and the two threading
 * algorithms over the messages a search found. Sort values come from the index's kept rankings
 * ({@link org.roost.index.SortRanking}); threading reads each message's cached envelope.
 */
package org.roost.imap.sort;
