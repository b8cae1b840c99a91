-- What SELECT reports of a mailbox (EXISTS, UNSEEN, the keywords in use, STATUS SIZE), kept in its row so that a
-- replica without a local index answers SELECT without reading the mailbox's messages (PostgresMailbox.summary).
-- The database keeps the numbers itself: statement triggers on messages fold each statement's rows in, in the
-- transaction that changes them, so a replica of an older version, which knows nothing of them, keeps them right too
-- during a rolling upgrade. summary_modseq is the HIGHESTMODSEQ the numbers were last known right at: every writer of
-- this version carries it along when it raises highest_modseq; a write that does not (an older version's, a tool's
-- with the triggers off) leaves it behind, and the next replica to open the mailbox counts the rows again.
ALTER TABLE mailboxes
    ADD COLUMN message_count      bigint NOT NULL DEFAULT 0,
    ADD COLUMN unseen_count       bigint NOT NULL DEFAULT 0,
    ADD COLUMN total_virtual_size bigint NOT NULL DEFAULT 0,
    ADD COLUMN summary_modseq     bigint NOT NULL DEFAULT 1;

-- How many messages of a mailbox carry each keyword (rows at 0 are removed): SELECT's FLAGS names those above 0.
CREATE TABLE mailbox_keywords (
    mailbox_id bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    keyword    text NOT NULL,
    messages   bigint NOT NULL,
    PRIMARY KEY (mailbox_id, keyword)
);
-- The counts a statement took to 0, found without a scan of every mailbox's keywords.
CREATE INDEX mailbox_keywords_unused ON mailbox_keywords (mailbox_id) WHERE messages = 0;

-- SELECT's [UNSEEN n]: the first message without \Seen (bit 1 of flags) is one probe of this index, however many
-- messages the mailbox holds; it holds only the unseen ones.
CREATE INDEX messages_unseen ON messages (mailbox_id, uid) WHERE flags & 1 = 0;
-- A replica told of another's change reads only the rows whose MODSEQ moved past what it holds.
CREATE INDEX messages_by_modseq ON messages (mailbox_id, modseq);

-- Folds one statement's rows into their mailboxes' numbers: +1 for each row a statement left (new_rows), -1 for each
-- it took away (old_rows); a flag change that moves none of them (\Flagged, say) writes nothing.
CREATE FUNCTION summarize_messages() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    counted bigint;
    changed text := CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT 1 AS sign, mailbox_id, flags, keywords, virtual_size FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT -1 AS sign, mailbox_id, flags, keywords, virtual_size FROM old_rows'
        ELSE 'SELECT 1 AS sign, mailbox_id, flags, keywords, virtual_size FROM new_rows'
            || ' UNION ALL SELECT -1, mailbox_id, flags, keywords, virtual_size FROM old_rows' END;
BEGIN
    EXECUTE 'UPDATE mailboxes b SET message_count = b.message_count + d.messages,'
        || ' unseen_count = b.unseen_count + d.unseen, total_virtual_size = b.total_virtual_size + d.bytes'
        || ' FROM (SELECT mailbox_id, sum(sign) AS messages, sum(CASE WHEN flags & 1 = 0 THEN sign ELSE 0 END) AS unseen,'
        || ' sum(sign * virtual_size) AS bytes FROM (' || changed || ') c GROUP BY mailbox_id) d'
        || ' WHERE b.id = d.mailbox_id AND (d.messages <> 0 OR d.unseen <> 0 OR d.bytes <> 0)';
    EXECUTE 'INSERT INTO mailbox_keywords AS k (mailbox_id, keyword, messages)'
        || ' SELECT mailbox_id, keyword, sum(sign) FROM (' || changed || ') c, unnest(c.keywords) AS keyword'
        || ' GROUP BY 1, 2 HAVING sum(sign) <> 0'
        || ' ON CONFLICT (mailbox_id, keyword) DO UPDATE SET messages = k.messages + EXCLUDED.messages';
    GET DIAGNOSTICS counted = ROW_COUNT;
    IF counted > 0 THEN
        DELETE FROM mailbox_keywords WHERE messages = 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER messages_inserted AFTER INSERT ON messages REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION summarize_messages();
CREATE TRIGGER messages_updated AFTER UPDATE ON messages REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION summarize_messages();
CREATE TRIGGER messages_deleted AFTER DELETE ON messages REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION summarize_messages();

-- The numbers of the mailboxes there are, counted under a lock that waits for every writer under way (an older
-- replica's too) and holds the next ones until the triggers are there to count their rows.
LOCK TABLE mailboxes, messages IN SHARE MODE;
UPDATE mailboxes b SET message_count = c.messages, unseen_count = c.unseen, total_virtual_size = c.bytes,
        summary_modseq = b.highest_modseq
    FROM (SELECT b.id, count(m.uid) AS messages, count(m.uid) FILTER (WHERE m.flags & 1 = 0) AS unseen,
            coalesce(sum(m.virtual_size), 0) AS bytes
        FROM mailboxes b LEFT JOIN messages m ON m.mailbox_id = b.id GROUP BY b.id) c
    WHERE b.id = c.id;
INSERT INTO mailbox_keywords (mailbox_id, keyword, messages)
    SELECT mailbox_id, keyword, count(*) FROM messages, unnest(keywords) AS keyword GROUP BY 1, 2;
