// Package media handles photo files: it validates an imported file, reads
// its metadata (orientation, capture time, camera), stores the original
// unchanged under its SHA-256, and makes the renditions the website serves
// (the sizes listed by [Renditions], upright, colour profile kept, all other
// metadata stripped).
//
// Layout under the library root:
//
//	originals/ab/<sha256>      the file as imported, byte for byte
//	<dir>/ab/<sha256>.jpg      each rendition in its own folder ([Rendition].Dir)
//
// Every file is written to a temporary name, synced and renamed into place,
// so a crash or a cancelled import never leaves a partial file at a final
// path. Temporary files start with ".tmp-"; [Library.Stored] reports any
// left behind by a crash as strays.
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
)

// Library is the folder of photos inside Pinhole's data folder.
type Library struct {
	root string
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

// Open opens (creating if needed) the library rooted at root.
func Open(root string) (*Library, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open library: %w", err)
	}
	for _, d := range dirs() {
		if err := os.MkdirAll(filepath.Join(abs, d), 0o755); err != nil {
			return nil, fmt.Errorf("open library: %w", err)
		}
	}
	return &Library{root: abs}, nil
}

// Root returns the library's folder.
func (l *Library) Root() string { return l.root }

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
// one, so that a bad hash can never name a path outside the library).
func shard(sha string) string {
	if !validSHA(sha) {
		return "xx"
	}
	return sha[:2]
}

// OriginalPath is where the original of the photo with this SHA-256 is stored.
func (l *Library) OriginalPath(sha string) string {
	return filepath.Join(l.root, dirOriginals, shard(sha), filepath.Base(sha))
}

// RenditionPath is where rendition r of the photo with this SHA-256 is stored.
func (l *Library) RenditionPath(r Rendition, sha string) string {
	return filepath.Join(l.root, r.Dir, shard(sha), filepath.Base(sha)+".jpg")
}

// PreviewPath is where the preview is stored.
func (l *Library) PreviewPath(sha string) string {
	return l.RenditionPath(mustRendition(Preview), sha)
}

// ThumbnailPath is where the thumbnail is stored.
func (l *Library) ThumbnailPath(sha string) string {
	return l.RenditionPath(mustRendition(Thumbnail), sha)
}

// paths lists a photo's files: the original, then its renditions.
func (l *Library) paths(sha string) []string {
	p := []string{l.OriginalPath(sha)}
	for _, r := range renditionTable {
		p = append(p, l.RenditionPath(r, sha))
	}
	return p
}

// Remove deletes a photo's original and renditions. Files already gone are
// not an error. Photos are shared by content: the caller must make sure that
// nothing else (another gallery) still refers to this hash.
func (l *Library) Remove(sha string) error {
	if !validSHA(sha) {
		return fmt.Errorf("remove %q: not a SHA-256", sha)
	}
	var errs []error
	for _, p := range l.paths(sha) {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Check returns the paths of the photo's files that are missing: the
// original or any rendition.
func (l *Library) Check(sha string) (missing []string) {
	for _, p := range l.paths(sha) {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			missing = append(missing, p)
		}
	}
	return missing
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
	if _, err := os.Stat(l.OriginalPath(sha)); err != nil {
		return fmt.Errorf("repair %s: %w", sha, ErrNoOriginal)
	}
	if from := l.repairSource(sha); from != "" {
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
func (l *Library) repairSource(sha string) string {
	have := map[string]bool{}
	var need []Rendition
	for _, r := range renditionTable {
		if fi, err := os.Stat(l.RenditionPath(r, sha)); err == nil && fi.Mode().IsRegular() {
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
	src := l.OriginalPath(sha)
	if from != "" {
		src = l.RenditionPath(mustRendition(from), sha)
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

// Stored lists the hashes of stored originals, and every other file under
// the library's folders that does not belong there (renditions without an
// original, leftover temporary files, unknown names): the strays. Both lists
// are sorted.
func (l *Library) Stored() (shas []string, strays []string, err error) {
	have := map[string]bool{}
	for _, d := range retiredDirs {
		if _, err := os.Lstat(filepath.Join(l.root, d)); err == nil {
			strays = append(strays, filepath.Join(l.root, d)) // whole
		}
	}
	for _, d := range dirs() {
		err := filepath.WalkDir(filepath.Join(l.root, d), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join(l.root, d), p)
			if de.IsDir() {
				if rel != "." && (strings.Contains(rel, string(filepath.Separator)) || len(rel) != 2) {
					strays = append(strays, p)
					return filepath.SkipDir
				}
				return nil
			}
			dir, name := filepath.Split(rel)
			sha := name
			if d != dirOriginals {
				sha = strings.TrimSuffix(name, ".jpg")
			}
			switch {
			case !validSHA(sha) || filepath.Clean(dir) != sha[:2] || !de.Type().IsRegular() || (d != dirOriginals && !strings.HasSuffix(name, ".jpg")):
				strays = append(strays, p)
			case d == dirOriginals:
				have[sha] = true
				shas = append(shas, sha)
			case !have[sha]:
				strays = append(strays, p)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("list library: %w", err)
		}
	}
	slices.Sort(shas)
	slices.Sort(strays)
	return shas, strays, nil
}

// createTemp creates a temporary file in dir (made if needed).
func createTemp(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	return os.OpenFile(filepath.Join(dir, tmpPrefix+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
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
