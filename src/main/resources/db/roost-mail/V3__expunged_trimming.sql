-- The expunge record QRESYNC reads is trimmed to mail.postgres.maxExpunged rows per mailbox (ExpungedTrimmer): the
-- oldest go, and the mailbox remembers the highest MODSEQ trimmed, below which VANISHED (EARLIER) cannot be exact
-- (RFC 7162 §3.2.5.1: then every UID the client names that the mailbox no longer holds is reported).
ALTER TABLE mailboxes ADD COLUMN expunged_exact_from bigint NOT NULL DEFAULT 0;

-- Both the "expunged after a MODSEQ" of QRESYNC and the trimmer's cut read expunges by MODSEQ within a mailbox.
CREATE INDEX expunged_by_modseq ON expunged (mailbox_id, modseq);
