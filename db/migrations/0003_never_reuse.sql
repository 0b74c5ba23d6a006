-- Nothing is ever numbered twice in a database's lifetime.
--
-- Ids: a table whose INTEGER PRIMARY KEY lacks AUTOINCREMENT hands the
-- highest id out again once its row is deleted, so a new gallery could
-- inherit an old one's throttle records or a session's references. Each such
-- table is rebuilt with AUTOINCREMENT (SQLite cannot change a key in place;
-- the migration runs with foreign keys off and checks them before commit).
--
-- PIN versions: they came from MAX(pin_version) + 1, which a delete lowers.
-- They now come from a counter that only grows. A PIN session also keeps
-- the gallery whose PIN was typed (pin_gallery_id), so it opens nothing
-- whose current PIN it was not opened with.

CREATE TABLE counters (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('pin_version', MAX(
    (SELECT COALESCE(MAX(pin_version), 0) FROM galleries),
    (SELECT COALESCE(MAX(pin_version), 0) FROM sessions)));


CREATE TABLE galleries_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    slug           TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL CHECK (title <> ''),
    description    TEXT    NOT NULL DEFAULT '',
    event_date     TEXT    NOT NULL DEFAULT '',
    -- '' means a sub-gallery inherits its parent's access and PIN.
    access         TEXT    NOT NULL DEFAULT 'pin' CHECK (access IN ('', 'public', 'pin', 'download-pin')),
    pin            TEXT    NOT NULL DEFAULT '',
    pin_version    INTEGER NOT NULL DEFAULT 1,
    downloads      TEXT    NOT NULL DEFAULT 'original' CHECK (downloads IN ('off', 'web', 'original')),
    expires_at     INTEGER,
    published      INTEGER NOT NULL DEFAULT 1,
    listed         INTEGER NOT NULL DEFAULT 0,
    navigate_up    INTEGER NOT NULL DEFAULT 0,
    cover_photo_id INTEGER REFERENCES photos (id) ON DELETE SET NULL,
    parent_id      INTEGER REFERENCES galleries (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
INSERT INTO galleries_new SELECT * FROM galleries;
DROP TABLE galleries;
ALTER TABLE galleries_new RENAME TO galleries;
CREATE INDEX galleries_parent ON galleries (parent_id);

CREATE TABLE photos_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    gallery_id  INTEGER NOT NULL REFERENCES galleries (id) ON DELETE CASCADE,
    filename    TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    bytes       INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    -- Capture time; taken_tz is '+02:00' style when the camera recorded an offset.
    taken_at    INTEGER,
    taken_tz    TEXT    NOT NULL DEFAULT '',
    camera      TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    caption     TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    UNIQUE (gallery_id, sha256)
);
INSERT INTO photos_new SELECT * FROM photos;
DROP TABLE photos;
ALTER TABLE photos_new RENAME TO photos;
CREATE INDEX photos_order ON photos (gallery_id, position, taken_at, filename);
CREATE INDEX photos_sha256 ON photos (sha256);

CREATE TABLE clients_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL CHECK (name <> ''),
    -- Normalised: upper case, no spaces or dashes.
    code         TEXT    NOT NULL UNIQUE,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER
);
INSERT INTO clients_new SELECT * FROM clients;
DROP TABLE clients;
ALTER TABLE clients_new RENAME TO clients;

CREATE TABLE sessions_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   BLOB    NOT NULL UNIQUE,
    gallery_id   INTEGER REFERENCES galleries (id) ON DELETE CASCADE,
    client_id    INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    pin_version  INTEGER NOT NULL DEFAULT 0,
    -- the gallery whose PIN was typed (the gallery itself, or the parent it inherits from)
    pin_gallery_id INTEGER REFERENCES galleries (id) ON DELETE CASCADE,
    visitor_name TEXT    NOT NULL DEFAULT '',
    preview      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
INSERT INTO sessions_new (id, token_hash, gallery_id, client_id, pin_version, visitor_name, preview, created_at, expires_at, last_seen_at, pin_gallery_id)
SELECT s.id, s.token_hash, s.gallery_id, s.client_id, s.pin_version, s.visitor_name, s.preview, s.created_at, s.expires_at, s.last_seen_at,
    (SELECT CASE WHEN g.access = '' AND g.parent_id IS NOT NULL THEN g.parent_id ELSE g.id END
       FROM galleries g WHERE g.id = s.gallery_id)
FROM sessions s;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_gallery ON sessions (gallery_id);
CREATE INDEX sessions_client ON sessions (client_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE events_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    gallery_id INTEGER REFERENCES galleries (id) ON DELETE CASCADE,
    photo_id   INTEGER REFERENCES photos (id) ON DELETE SET NULL,
    client_id  INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    kind       TEXT    NOT NULL,
    visitor    TEXT    NOT NULL DEFAULT '',
    address    TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
INSERT INTO events_new SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_at ON events (at);
CREATE INDEX events_gallery ON events (gallery_id, at);
CREATE INDEX events_client ON events (client_id, at);

CREATE TABLE admin_keys_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    public_key   TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
INSERT INTO admin_keys_new SELECT * FROM admin_keys;
DROP TABLE admin_keys;
ALTER TABLE admin_keys_new RENAME TO admin_keys;

-- Throttle records name a gallery by id; ones left by a gallery deleted
-- before this migration must not come back with a new gallery.
DELETE FROM sqlite_sequence WHERE name = 'galleries';
INSERT INTO sqlite_sequence (name, seq) VALUES ('galleries', MAX(
    (SELECT COALESCE(MAX(id), 0) FROM galleries),
    (SELECT COALESCE(MAX(CAST(substr(key, 5, instr(substr(key, 5), ':') - 1) AS INTEGER)), 0)
       FROM throttle WHERE key LIKE 'pin:%')));
