-- Every list of galleries counts and sums each gallery's photos: with the
-- size in the index that is a walk of the index alone, not of the photos.
CREATE INDEX photos_gallery_bytes ON photos (gallery_id, bytes);
