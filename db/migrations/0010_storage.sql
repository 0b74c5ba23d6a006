-- Where the photo files are: at most one row, the storage's URL
-- (file:///DIR or s3://BUCKET/PREFIX). No row means the default, the data
-- folder's photos/, wherever the data folder is. Apart from settings: it
-- changes only once the files are there.
CREATE TABLE storage (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    url        TEXT    NOT NULL CHECK (url <> ''),
    changed_at INTEGER NOT NULL
);
