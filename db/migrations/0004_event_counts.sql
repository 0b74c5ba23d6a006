-- What needs no row of its own is counted: views, downloads and ZIPs of
-- visitors without a session, by the hour; and events past the retention
-- period, by the day (issue 16). start is the bucket's first second (Unix),
-- last the latest event counted in it.
CREATE TABLE event_counts (
    gallery_id INTEGER NOT NULL REFERENCES galleries (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    start      INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (gallery_id, kind, start)
) WITHOUT ROWID;

-- "Opened today by this session" is one index lookup.
CREATE INDEX events_session ON events (session_id, gallery_id, kind, at);
