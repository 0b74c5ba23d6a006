-- The photographer may show a gallery's cover on its PIN page too.
ALTER TABLE galleries ADD COLUMN cover_on_pin INTEGER NOT NULL DEFAULT 0;
