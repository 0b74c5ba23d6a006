-- An optional limit on how many photos a visitor may pick in a gallery
-- (counting the gallery and its sets together). A gallery without a row
-- has no limit.
CREATE TABLE pick_limits (
    gallery_id INTEGER PRIMARY KEY REFERENCES galleries (id) ON DELETE CASCADE,
    max_picks  INTEGER NOT NULL CHECK (max_picks > 0)
);
