/**
 * mbox storage compatible with UW-IMAP and Dovecot, and with the programs that write the same files
 * while Roost serves them (MTAs, procmail, mutt): {@link org.roost.storage.mbox.MboxDriver} for
 * {@code mail.location = mbox:DIR[:INBOX=FILE][:INDEX=DIR]}.
 *
 * <h2>Reading</h2>
 * {@link org.roost.storage.mbox.Scanner} finds the messages of a file in one pass
 * ({@link org.roost.storage.mbox.FromLine}: what counts as a separator; a {@code Content-Length} only
 * where it checks out) and measures what clients see of each one
 * ({@link org.roost.storage.mbox.Exposure}: bookkeeping headers hidden, mboxrd quoting undone), the
 * same transformation {@link org.roost.storage.mbox.ExposedStream} applies when a message is read, a
 * piece at a time, each piece under the file's read locks only.
 * {@link org.roost.storage.mbox.Synchronizer} turns a scan into UIDs ({@code X-UID} under
 * {@code X-IMAPbase}), reading only what grew, or checking what another program changed in place.
 *
 * <h2>Writing</h2>
 * {@link org.roost.storage.mbox.Rewriter} makes every change: a {@link org.roost.storage.mbox.Block}
 * of bookkeeping headers rewritten in place where it fits, else the file rewritten from the first
 * message concerned through a {@link org.roost.storage.mbox.Journal} that a crash leaves applicable;
 * new messages are encoded by {@link org.roost.storage.mbox.MessageEncoder}, after being spooled and
 * measured (its {@code Measure}) beside the file without a lock, so that deliveries are admitted to the
 * quota first and several are appended in one change.
 * {@link org.roost.storage.mbox.MboxFile} holds the file's one channel and the locks
 * ({@link org.roost.storage.mbox.MboxLocking}: dot-lock, fcntl, flock in the configured order).
 * A change in place that leaves the file's size and the second of its time stamp as they were is
 * invisible to Dovecot, which notes both in whole seconds: once that second is over the time stamp
 * is moved on ({@code MboxMailbox.touchLater}), as Dovecot does itself after moving messages.
 *
 * <h2>Beside the file</h2>
 * In the mailbox's index directory: {@code roost.mbox.map} ({@link org.roost.storage.mbox.MapFile},
 * where messages lie, for restarts) and, while UIDs are given but not yet written into the file,
 * {@code roost.mbox.pending} ({@link org.roost.storage.mbox.PendingUids}). Beside the mbox: its
 * dot-lock (made as {@code .NAME.lock.PID} and linked to {@code NAME.lock}, so it is never seen
 * without its owner) and, during a rewrite, {@code .NAME.roost-journal}.
 */
package org.roost.storage.mbox;
