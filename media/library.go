// Package media handles photo files: it validates an imported file, reads
// its metadata (orientation, capture time, camera), stores the original
// unchanged under its SHA-256, and makes the renditions the website serves
// (the sizes listed by [Renditions], upright, colour profile kept, all other
// metadata stripped).
//
// The files live in a [Store] (the local [Folder], a bucket), under keys
// that are their paths in this layout:
//
//	originals/ab/<sha256>      the file as imported, byte for byte
//	<dir>/ab/<sha256>.jpg      each rendition in its own folder ([Rendition].Dir)
//
// Every file is stored atomically (in a folder: written to a temporary
// name, synced and renamed into place), the original first, so a crash or
// a cancelled import never leaves a partial file under a key, nor a
// rendition without its original. A folder's temporary files start with
// ".tmp-"; [Library.Stored] reports any left behind by a crash as strays.
package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Library is the photos of a studio, kept in a [Store]: the folder inside
// Pinhole's data folder, or a bucket.
type Library struct {
	store Store
	// folder is store when it is the local folder: the import then writes
	// its temporary files beside their final place and renames them.
	folder *Folder
	// stage is where the import writes its temporary files for any other
	// store, which then Puts them.
	stage string
}

const (
	dirOriginals = "originals"
	tmpPrefix    = ".tmp-"
)

// dirs lists the library's folders: originals, then one per rendition.
func dirs() []string {
	d := []string{dirOriginals}
	for _, r := range renditionTable {
		d = append(d, r.Dir)
	}
	return d
}

// Open opens (creating if needed) the library in the folder root.
func Open(root string) (*Library, error) {
	f, err := NewFolder(root)
	if err != nil {
		return nil, fmt.Errorf("open library: %w", err)
	}
	for _, d := range dirs() {
		if err := os.MkdirAll(filepath.Join(f.root, d), 0o755); err != nil {
			return nil, fmt.Errorf("open library: %w", err)
		}
	}
	return New(f), nil
}

// New is the library kept in store. An import into a store other than a
// [Folder] stages its files in the system's temporary folder first.
func New(store Store) *Library {
	l := &Library{store: store, stage: os.TempDir()}
	l.folder, _ = store.(*Folder)
	return l
}

// Store is where the library's files are.
func (l *Library) Store() Store { return l.store }

// validSHA reports whether s is a lower-case hex SHA-256.
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// shard returns the two-character folder of a hash ("xx" for a malformed
// one, so that a bad hash can never name a key outside the layout).
func shard(sha string) string {
	if !validSHA(sha) {
		return "xx"
	}
	return sha[:2]
}

// Remove deletes a photo's original and renditions. Files already gone are
// not an error. Photos are shared by content: the caller must make sure that
// nothing else (another gallery) still refers to this hash.
func (l *Library) Remove(ctx context.Context, sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("remove %q: not a SHA-256", sha)
	}
	var errs []error
	for _, k := range Keys(sha) {
		if err := l.store.Delete(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Check returns the keys of the photo's files that are missing: the
// original or any rendition. An error other than a file's absence (a
// bucket out of reach) ends it.
func (l *Library) Check(ctx context.Context, sha string) (missing []string, err error) {
	for _, k := range Keys(sha) {
		if _, err := l.store.Stat(ctx, k); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, k)
		} else if err != nil {
			return missing, fmt.Errorf("check %s: %w", sha, err)
		}
	}
	return missing, nil
}

// has reports whether key is stored.
func (l *Library) has(ctx context.Context, key string) bool {
	_, err := l.store.Stat(ctx, key)
	return err == nil
}

// ErrNoOriginal is returned by [Library.Repair] when the original itself is
// gone: renditions cannot be remade without it.
var ErrNoOriginal = errors.New("original missing")

// Repair remakes missing renditions, each from the smallest stored file
// that has pixels enough: a rendition of the table that it is made from
// when that one is there (so a size added to the table is made from the
// preview, which decodes in a fraction of the original's time), else the
// original.
func (l *Library) Repair(ctx context.Context, sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("repair %q: not a SHA-256", sha)
	}
	if !l.has(ctx, OriginalKey(sha)) {
		return fmt.Errorf("repair %s: %w", sha, ErrNoOriginal)
	}
	if from := l.repairSource(ctx, sha); from != "" {
		err := l.repairFrom(ctx, sha, from)
		if err == nil || ctx.Err() != nil {
			return err
		}
		// A damaged rendition: the original still makes everything.
	}
	return l.repairFrom(ctx, sha, "")
}

// repairSource is the smallest stored rendition from which every missing
// one of the photo is made (through the table's From), or "" when only
// the original will do.
func (l *Library) repairSource(ctx context.Context, sha string) string {
	have := map[string]bool{}
	var need []Rendition
	for _, r := range renditionTable {
		if l.has(ctx, RenditionKey(r, sha)) {
			have[r.Name] = true
		} else {
			need = append(need, r)
		}
	}
	best := ""
	for _, r := range renditionTable { // largest first: the last that serves wins
		if !have[r.Name] {
			continue
		}
		serves := len(need) > 0
		for _, n := range need {
			serves = serves && madeFrom(n, r.Name)
		}
		if serves {
			best = r.Name
		}
	}
	return best
}

// madeFrom reports whether rendition r is resized, directly or through
// others, from the rendition called from.
func madeFrom(r Rendition, from string) bool {
	for r.From != "" {
		if r.From == from {
			return true
		}
		r = mustRendition(r.From)
	}
	return false
}

func (l *Library) repairFrom(ctx context.Context, sha, from string) error {
	src := source{key: OriginalKey(sha)}
	if from != "" {
		src.key = RenditionKey(mustRendition(from), sha)
	}
	j := &job{lib: l, ctx: ctx, opt: Options{}.withDefaults(), from: from}
	defer j.cleanup()
	if _, err := j.inspect(src); err != nil {
		return fmt.Errorf("repair %s: %w", sha, err)
	}
	j.sha = sha
	if err := j.render(src); err != nil {
		return fmt.Errorf("repair %s: %w", sha, err)
	}
	return j.commit()
}

// A Stray is a stored file that belongs to no photo (a rendition without
// its original, a temporary file left by a crash, an unknown name), or a
// retired rendition folder, whole: then Key is its name and a slash, and
// ModTime is that of the newest file in it.
type Stray struct {
	Key     string
	ModTime time.Time
}

// Stored lists the hashes of stored originals, and every other file of the
// library's folders that does not belong there: the strays. Both lists are
// sorted.
func (l *Library) Stored(ctx context.Context) (shas []string, strays []Stray, err error) {
	have := map[string]bool{}
	var renditions []ObjectInfo
	retired := map[string]time.Time{}
	for info, err := range l.store.List(ctx, "") {
		if err != nil {
			return nil, nil, fmt.Errorf("list library: %w", err)
		}
		dir, rest, _ := strings.Cut(info.Key, "/")
		if slices.Contains(retiredDirs[:], dir) {
			if t, ok := retired[dir]; !ok || info.ModTime.After(t) {
				retired[dir] = info.ModTime
			}
			continue
		}
		if !slices.Contains(dirs(), dir) {
			continue // not the library's
		}
		sub, name, ok := strings.Cut(rest, "/")
		sha := name
		if dir != dirOriginals {
			sha = strings.TrimSuffix(name, ".jpg")
		}
		switch {
		case !ok || !validSHA(sha) || sub != sha[:2] || (dir != dirOriginals && !strings.HasSuffix(name, ".jpg")):
			strays = append(strays, Stray{info.Key, info.ModTime})
		case dir == dirOriginals:
			have[sha] = true
			shas = append(shas, sha)
		default:
			renditions = append(renditions, info)
		}
	}
	for _, r := range renditions {
		if sha := strings.TrimSuffix(r.Key[strings.LastIndexByte(r.Key, '/')+1:], ".jpg"); !have[sha] {
			strays = append(strays, Stray{r.Key, r.ModTime})
		}
	}
	for dir, t := range retired {
		strays = append(strays, Stray{dir + "/", t})
	}
	slices.Sort(shas)
	slices.SortFunc(strays, func(a, b Stray) int { return strings.Compare(a.Key, b.Key) })
	return shas, strays, nil
}

// RemoveStray deletes a stray: its file, or every file of a retired
// folder.
func (l *Library) RemoveStray(ctx context.Context, s Stray) error {
	if !strings.HasSuffix(s.Key, "/") {
		return l.store.Delete(ctx, s.Key)
	}
	var keys []string
	for info, err := range l.store.List(ctx, s.Key) {
		if err != nil {
			return err
		}
		keys = append(keys, info.Key)
	}
	var errs []error
	for _, k := range keys {
		if err := l.store.Delete(ctx, k); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// createTemp creates a temporary file in dir (made if needed).
func createTemp(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	name := filepath.Join(dir, tmpPrefix+hex.EncodeToString(b[:]))
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	for i := 0; errors.Is(err, fs.ErrNotExist) && i < 3; i++ {
		// A Delete pruned the empty folder meanwhile.
		if err = os.MkdirAll(dir, 0o755); err == nil {
			f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	return f, err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
