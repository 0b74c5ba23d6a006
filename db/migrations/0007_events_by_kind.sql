-- A gallery's latest event of a kind is one index lookup: the galleries
-- list shows each gallery's last visit, which was a walk through every
-- event of every gallery (seconds at a million events).
CREATE INDEX events_gallery_kind ON events (gallery_id, kind, at);
