-- E-mail waiting to be sent, and sent: the link message for a client,
-- the notice of a sent selection and the daily digest for the
-- photographer. A failed send waits until next_at and is tried again.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    gallery_id INTEGER REFERENCES galleries (id) ON DELETE SET NULL,
    kind       TEXT    NOT NULL, -- share, selection, digest
    recipient  TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    INTEGER NOT NULL,
    sent_at    INTEGER,
    failed_at  INTEGER, -- given up
    last_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_gallery ON outbox (gallery_id, kind, created_at);
