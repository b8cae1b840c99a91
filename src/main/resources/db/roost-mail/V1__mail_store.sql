-- The mail store of mail.location: postgres: (org.roost.storage.postgres). Bodies live in the object store
-- under the SHA-256 of their bytes; this schema holds everything that must change transactionally.

-- UIDVALIDITY of each new mailbox: above every one handed out before, across replicas and restarts.
CREATE SEQUENCE uid_validities MINVALUE 1 MAXVALUE 4294967295;
SELECT setval('uid_validities', extract(epoch FROM now())::bigint);

CREATE TABLE mail_users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner          text NOT NULL UNIQUE,
    -- the running quota account (QuotaStore.record), recalculated from messages when it cannot be trusted
    used_bytes     bigint NOT NULL DEFAULT 0,
    used_messages  bigint NOT NULL DEFAULT 0,
    -- an administrator's limits, which win over the user database's (null: none)
    limit_bytes    bigint,
    limit_messages bigint
);

CREATE TABLE mailboxes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES mail_users (id) ON DELETE CASCADE,
    name           text NOT NULL,
    uid_validity   bigint NOT NULL DEFAULT nextval('uid_validities'),
    -- allocated by UPDATE ... RETURNING on this row, so two replicas never hand out one UID
    uid_next       bigint NOT NULL DEFAULT 1 CHECK (uid_next BETWEEN 1 AND 4294967296),
    -- bumped by every change of the mailbox: the index's change token
    highest_modseq bigint NOT NULL DEFAULT 1,
    UNIQUE (user_id, name)
);

-- A body row claims its object: made before the upload, marked stored after it, deleted with the object
-- only when no message refers to it and it was untouched for the grace (BodyCollector).
CREATE TABLE bodies (
    key     text PRIMARY KEY CHECK (key ~ '^[0-9a-f]{64}$'),
    size    bigint NOT NULL,
    stored  boolean NOT NULL DEFAULT false,
    touched timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE messages (
    mailbox_id    bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid           bigint NOT NULL CHECK (uid BETWEEN 1 AND 4294967295),
    body_key      text NOT NULL REFERENCES bodies (key),
    flags         integer NOT NULL,
    keywords      text[] NOT NULL DEFAULT '{}',
    modseq        bigint NOT NULL,
    internal_date timestamptz NOT NULL,
    save_date     timestamptz NOT NULL DEFAULT now(),
    physical_size bigint NOT NULL,
    virtual_size  bigint NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);
CREATE INDEX messages_by_body ON messages (body_key);

-- Expunged UIDs with the MODSEQ of their expunge (RFC 7162 QRESYNC's VANISHED (EARLIER)).
CREATE TABLE expunged (
    mailbox_id bigint NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    uid        bigint NOT NULL,
    modseq     bigint NOT NULL,
    PRIMARY KEY (mailbox_id, uid)
);

CREATE TABLE subscriptions (
    user_id bigint NOT NULL REFERENCES mail_users (id) ON DELETE CASCADE,
    name    text NOT NULL,
    PRIMARY KEY (user_id, name)
);

-- RFC 6154 special uses, by mailbox name (which need not exist), as IMAP names them: '\Sent', ...
CREATE TABLE special_uses (
    user_id bigint NOT NULL REFERENCES mail_users (id) ON DELETE CASCADE,
    name    text NOT NULL,
    uses    text[] NOT NULL,
    PRIMARY KEY (user_id, name)
);
