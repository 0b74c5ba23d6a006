-- The folder a gallery's last import from the TUI read: offered again when
-- the photographer next imports into it, in a later session too, so that
-- an import stopped halfway (cancelled, or the TUI quit) resumes with one
-- key. Goes with its gallery.
CREATE TABLE import_folders (
    gallery_id INTEGER PRIMARY KEY REFERENCES galleries (id) ON DELETE CASCADE,
    folder     TEXT    NOT NULL CHECK (folder <> ''),
    at         INTEGER NOT NULL
);
