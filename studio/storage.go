package studio

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"pinhole/db"
	"pinhole/internal/fileurl"
	"pinhole/media"
	"pinhole/media/bucket"
)

// The folder a bucket's renditions are copied to, in the data folder, and
// how much of them it keeps: the thumbnails and grid sizes of the galleries
// being looked at.
const (
	storageCacheDir = "cache/photos"
	storageCacheMax = 2 << 30
)

// ErrOtherStorage is what a storage other than the one the photos are in
// is refused with.
var ErrOtherStorage = errors.New("not where the photos are")

// StorageURL is the canonical form of a storage URL, as the database
// records it: "" for the default (the data folder's photos/), file:///DIR
// for any other folder, s3://BUCKET or s3://BUCKET/PREFIX for a bucket.
func StorageURL(dataDir, raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("storage %q: %w", raw, err)
	}
	switch u.Scheme {
	case "s3":
		b, prefix, err := bucket.ParseURL(raw)
		if err != nil {
			return "", err
		}
		return strings.TrimSuffix("s3://"+b+"/"+prefix, "/"), nil
	case "file":
		abs, err := fileurl.Dir(raw)
		if err != nil {
			return "", fmt.Errorf("storage %q: %w", raw, err)
		}
		def, err := filepath.Abs(filepath.Join(dataDir, "photos"))
		if err != nil {
			return "", fmt.Errorf("storage %q: %w", raw, err)
		}
		if abs == def {
			return "", nil
		}
		return fileurl.URL(abs), nil
	}
	return "", fmt.Errorf("storage %q: want file://DIR or s3://BUCKET/PREFIX", raw)
}

// showStorage names a canonical storage URL for people.
func showStorage(dataDir, canonical string) string {
	if canonical == "" {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dataDir, "photos"))}).String() + " (the data folder's photos)"
	}
	return canonical
}

// OpenStorage opens where the studio's photo files are. given is the
// --storage URL ("" when not given): then it is the one the database
// records, or the data folder's photos/. Given, it must be the one
// recorded, unless no photo is stored yet, when it is recorded. Another is
// refused with ErrOtherStorage, so that a typo never shows a studio with
// every photo missing.
//
// A bucket comes with a local copy of its hot renditions (see
// [media.Cache]) in the data folder. A bucket out of reach is an error
// (wrapping media.ErrUnavailable) that comes with the store all the same,
// as bucket.Open returns it, for a caller that can wait for it.
func OpenStorage(ctx context.Context, store *db.Store, dataDir, given string) (media.Store, error) {
	want, err := StorageURL(dataDir, given)
	if err != nil {
		return nil, err
	}
	have, err := store.StorageURL(ctx)
	if err != nil {
		return nil, err
	}
	if given != "" && want != have {
		shas, err := store.ContentHashes(ctx)
		if err != nil {
			return nil, err
		}
		if len(shas) > 0 {
			return nil, fmt.Errorf("storage %s: %w: they are in %s (as the database records); leave --storage out to use it, or copy them over with: pinhole storage migrate --to %s",
				showStorage(dataDir, want), ErrOtherStorage, showStorage(dataDir, have), given)
		}
		if err := store.SetStorageURL(ctx, want); err != nil {
			return nil, err
		}
		have = want
	}
	return OpenStorageURL(ctx, dataDir, have)
}

// OpenStorageURL opens the storage at a canonical URL (see [StorageURL]),
// whatever the database says: for moving photos between two. Like
// OpenStorage, it returns a bucket out of reach with the error.
func OpenStorageURL(ctx context.Context, dataDir, canonical string) (media.Store, error) {
	switch {
	case canonical == "":
		return media.NewFolder(filepath.Join(dataDir, "photos"))
	case strings.HasPrefix(canonical, "file://"):
		u, err := url.Parse(canonical)
		if err != nil {
			return nil, fmt.Errorf("storage %s: %w", canonical, err)
		}
		return media.NewFolder(filepath.FromSlash(u.Path))
	}
	b, err := bucket.Open(ctx, canonical)
	if b == nil {
		return nil, err
	}
	c, cerr := media.NewCache(b, filepath.Join(dataDir, storageCacheDir), storageCacheMax)
	if cerr != nil {
		return nil, cerr
	}
	return c, err // a bucket out of reach: the store and why (see bucket.Open)
}

// BucketOf is the bucket a storage opened by OpenStorage keeps its files
// in, or nil for a folder: for what only a bucket does (presigned URLs).
func BucketOf(st media.Store) *bucket.Store {
	if c, ok := st.(*media.Cache); ok {
		st = c.Store
	}
	b, _ := st.(*bucket.Store)
	return b
}
