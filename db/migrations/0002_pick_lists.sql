-- Favourites belong to a visitor, not to a first name.
--
-- A pick list is one visitor's favourites in one gallery: a client login's
-- (client_id), or a browser's, known by the token in its cookie (only its
-- hash is kept). The first name is how the photographer sees a list, not
-- what identifies it, so two visitors called Anna keep two lists. with_pin
-- marks a list picked while holding a download PIN: a visitor without the
-- PIN does not reach it.
--
-- Lists picked before this migration (keyed by the lower-cased first name)
-- keep their picks and the name as first given; no browser holds a token
-- for them, so they stay the photographer's to read and export.

CREATE TABLE pick_lists (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    gallery_id INTEGER NOT NULL REFERENCES galleries (id) ON DELETE CASCADE,
    client_id  INTEGER REFERENCES clients (id) ON DELETE CASCADE,
    token_hash BLOB UNIQUE,
    name       TEXT    NOT NULL DEFAULT '',
    with_pin   INTEGER NOT NULL DEFAULT 0,
    sent_at    INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (client_id IS NULL OR token_hash IS NULL)
);
CREATE UNIQUE INDEX pick_lists_client ON pick_lists (gallery_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX pick_lists_gallery ON pick_lists (gallery_id);

-- One list per gallery and old owner, numbered in the order first picked.
CREATE TEMP TABLE old_lists AS
SELECT p.gallery_id AS gallery_id, f.owner AS owner, MAX(f.client_id) AS client_id,
    COALESCE((SELECT NULLIF(f2.visitor_name, '') FROM favourites f2 JOIN photos p2 ON p2.id = f2.photo_id
        WHERE p2.gallery_id = p.gallery_id AND f2.owner = f.owner AND f2.visitor_name <> ''
        ORDER BY f2.created_at, f2.id LIMIT 1), substr(f.owner, 6)) AS name,
    MIN(f.created_at) AS created_at, MAX(f.created_at) AS updated_at
FROM favourites f JOIN photos p ON p.id = f.photo_id
GROUP BY p.gallery_id, f.owner
ORDER BY MIN(f.created_at), p.gallery_id, f.owner;

INSERT INTO pick_lists (id, gallery_id, client_id, name, created_at, updated_at)
SELECT rowid, gallery_id, client_id, CASE WHEN client_id IS NULL THEN name ELSE '' END, created_at, updated_at
FROM old_lists ORDER BY rowid;

CREATE TABLE favourites_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id    INTEGER NOT NULL REFERENCES pick_lists (id) ON DELETE CASCADE,
    photo_id   INTEGER NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    UNIQUE (list_id, photo_id)
);
INSERT INTO favourites_new (list_id, photo_id, created_at)
SELECT o.rowid, f.photo_id, f.created_at
FROM favourites f JOIN photos p ON p.id = f.photo_id
JOIN old_lists o ON o.gallery_id = p.gallery_id AND o.owner = f.owner
ORDER BY f.id;
DROP TABLE old_lists;
DROP TABLE favourites;
ALTER TABLE favourites_new RENAME TO favourites;
CREATE INDEX favourites_photo ON favourites (photo_id);
