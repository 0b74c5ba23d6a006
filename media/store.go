package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"path"
	"time"
)

// A Store keeps photo files: originals and renditions, each under a key
// that is its relative path in the content-addressed layout
// ([OriginalKey], [RenditionKey]). The local folder ([Folder]) is one; a
// bucket of an S3-compatible server is another. Nothing outside a store
// opens a photo file by its path. litestream's ReplicaClient is the model.
//
// Every method is safe for concurrent use. Errors for a key that holds
// nothing wrap [fs.ErrNotExist]; a key that is not a clean relative path
// ([fs.ValidPath], not ".") is refused with an error wrapping
// [fs.ErrInvalid], before anything is touched.
type Store interface {
	// Open opens the object at key for reading.
	Open(ctx context.Context, key string) (Object, error)
	// Stat describes the object at key.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Put stores everything r yields under key, replacing what was there.
	// It is atomic: until it returns, readers see the old object (or
	// none) and List does not yield a new key; once it returns nil the
	// object is whole and durable, so a database row may point to it. On
	// an error (r's, the store's, or ctx cancelled) nothing new is at key.
	Put(ctx context.Context, key string, r io.Reader) error
	// Delete removes the object at key. One that is not there is not an
	// error.
	Delete(ctx context.Context, key string) error
	// List yields every object whose key starts with prefix, in no
	// particular order; an error ends it.
	List(ctx context.Context, prefix string) iter.Seq2[ObjectInfo, error]
	// Location names the object at key for people (messages, doctor's
	// report): a file's path, an object's URL.
	Location(key string) string
	// URL names the store itself: file:///DIR, s3://BUCKET/PREFIX.
	URL() string
}

// An Object is an open photo file. It seeks and reads at offsets (for
// Range requests and ZIP resumption: ranged GETs for a bucket), and Stat
// gives its size and modification time.
//
// A [Folder]'s objects are *os.File: callers that can do better with a
// file assert it (the website sends it with sendfile and maps hot
// thumbnails), and fall back to reading for any other store.
type Object interface {
	io.ReadSeekCloser
	io.ReaderAt
	Stat() (fs.FileInfo, error)
}

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// FileInfo is info as an fs.FileInfo, for an [Object]'s Stat.
func FileInfo(info ObjectInfo) fs.FileInfo { return fileInfo{info} }

type fileInfo struct{ i ObjectInfo }

func (f fileInfo) Name() string       { return path.Base(f.i.Key) }
func (f fileInfo) Size() int64        { return f.i.Size }
func (f fileInfo) Mode() fs.FileMode  { return 0o444 }
func (f fileInfo) ModTime() time.Time { return f.i.ModTime }
func (f fileInfo) IsDir() bool        { return false }
func (f fileInfo) Sys() any           { return nil }

// ErrUnavailable is wrapped by the errors that are the store's rather than
// a file's: a bucket out of reach, or refusing (wrong keys, no permission,
// no such bucket). They pass when the store is back; a caller answers them
// as such (the website with 503, an import by stopping).
var ErrUnavailable = errors.New("the photo storage is unavailable")

// CheckKey refuses a key that is not a clean relative path: stores call
// it first, so that no key reaches outside their folder or prefix.
func CheckKey(key string) error {
	if key == "." || !fs.ValidPath(key) {
		return fmt.Errorf("photo store: key %q: %w", key, fs.ErrInvalid)
	}
	return nil
}

// OriginalKey is the key of the original of the photo with this SHA-256.
func OriginalKey(sha string) string {
	return dirOriginals + "/" + shard(sha) + "/" + path.Base(sha)
}

// RenditionKey is the key of rendition r of the photo with this SHA-256.
func RenditionKey(r Rendition, sha string) string {
	return r.Dir + "/" + shard(sha) + "/" + path.Base(sha) + ".jpg"
}

// Keys lists a photo's keys: the original, then its renditions, largest
// first.
func Keys(sha string) []string {
	k := []string{OriginalKey(sha)}
	for _, r := range renditionTable {
		k = append(k, RenditionKey(r, sha))
	}
	return k
}
