-- Parsed structures (ENVELOPE, BODYSTRUCTURE, sort and thread headers, preview) by the key of the body they were
-- parsed from, so that no replica parses a body another already parsed, whichever mailbox or user holds it; they go
-- with the body. detail: 0 the header alone, 1 the whole MIME structure, 2 that with its preview; a replica keeps
-- its own only over one of no more detail. Replicas of an older version neither read nor write this table.
CREATE TABLE structures (
    body_key text PRIMARY KEY REFERENCES bodies (key) ON DELETE CASCADE,
    detail   smallint NOT NULL CHECK (detail BETWEEN 0 AND 2),
    data     bytea NOT NULL
);
