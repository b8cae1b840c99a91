-- Replicas learn of each other's changes (org.roost.storage.postgres.ChangeFeed): every transaction that moves a
-- mailbox's UIDNEXT or HIGHESTMODSEQ notifies its id on commit (PostgreSQL folds equal notices of a transaction).
CREATE FUNCTION notify_mailbox_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('roost_mailbox_changes', NEW.id::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER mailbox_changed AFTER UPDATE OF uid_next, highest_modseq ON mailboxes
    FOR EACH ROW EXECUTE FUNCTION notify_mailbox_change();
