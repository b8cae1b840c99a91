-- RFC 5464 metadata (IMAP METADATA) of the postgres: store (org.roost.storage.postgres.PostgresAnnotations).
-- A mailbox's entries go with its row: kept through RENAME (the row keeps its id), deleted with DELETE.
-- position: the order the entries were first set in, which GETMETADATA answers in (as the Maildir driver's file).
CREATE TABLE mailbox_annotations (
    mailbox_id bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    name       text NOT NULL,
    value      bytea NOT NULL,
    position   bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (mailbox_id, name)
);

-- Each user's own entries of the server (GETMETADATA "").
CREATE TABLE server_annotations (
    user_id  bigint NOT NULL REFERENCES mail_users (id) ON DELETE CASCADE,
    name     text NOT NULL,
    value    bytea NOT NULL,
    position bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (user_id, name)
);
