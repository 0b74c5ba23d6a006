-- The first schema: everything in DESIGN's data section.
-- Times are Unix seconds (UTC). Booleans are 0/1.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE galleries (
    id             INTEGER PRIMARY KEY,
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
CREATE INDEX galleries_parent ON galleries (parent_id);

CREATE TABLE photos (
    id          INTEGER PRIMARY KEY,
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
CREATE INDEX photos_order ON photos (gallery_id, position, taken_at, filename);
CREATE INDEX photos_sha256 ON photos (sha256);

CREATE TABLE clients (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL CHECK (name <> ''),
    -- Normalised: upper case, no spaces or dashes.
    code         TEXT    NOT NULL UNIQUE,
    note         TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER
);

CREATE TABLE client_galleries (
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    gallery_id INTEGER NOT NULL REFERENCES galleries (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (client_id, gallery_id)
);
CREATE INDEX client_galleries_gallery ON client_galleries (gallery_id);

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   BLOB    NOT NULL UNIQUE,
    gallery_id   INTEGER REFERENCES galleries (id) ON DELETE CASCADE,
    client_id    INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    pin_version  INTEGER NOT NULL DEFAULT 0,
    visitor_name TEXT    NOT NULL DEFAULT '',
    preview      INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_gallery ON sessions (gallery_id);
CREATE INDEX sessions_client ON sessions (client_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
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
CREATE INDEX events_at ON events (at);
CREATE INDEX events_gallery ON events (gallery_id, at);
CREATE INDEX events_client ON events (client_id, at);

CREATE TABLE favourites (
    id           INTEGER PRIMARY KEY,
    photo_id     INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    client_id    INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    session_id   INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    -- Who picked it: 'client:<id>' or 'name:<lower-case first name>'.
    owner        TEXT    NOT NULL,
    visitor_name TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    UNIQUE (photo_id, owner)
);
CREATE INDEX favourites_client ON favourites (client_id);

CREATE TABLE admin_keys (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    public_key   TEXT    NOT NULL,
    fingerprint  TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);

-- Wrong-secret throttling survives restarts.
CREATE TABLE throttle (
    key      TEXT    PRIMARY KEY,
    failures INTEGER NOT NULL,
    until    INTEGER NOT NULL, -- Unix milliseconds
    updated  INTEGER NOT NULL
);
