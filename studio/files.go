package studio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// DeleteGallery deletes a gallery with its sub-galleries, then the photo
// files no other gallery uses. It returns how many photos' files went.
func DeleteGallery(ctx context.Context, store *db.Store, lib *media.Library, slug string) (int, error) {
	orphans, err := store.DeleteGallery(ctx, slug)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, sha := range orphans {
		if err := lib.Remove(ctx, sha); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return len(orphans), fmt.Errorf("gallery %s deleted, but some files stay (pinhole doctor --repair removes them): %w", slug, err)
	}
	return len(orphans), nil
}

// Problem is one thing doctor found.
type Problem struct {
	// missing-original, missing-rendition, wrong-size, wrong-hash (an
	// original whose bytes are not those imported), unused, stray
	Kind     string `json:"kind"`
	Path     string `json:"path"`
	SHA256   string `json:"sha256,omitempty"`
	Repaired bool   `json:"repaired"`
	Error    string `json:"error,omitempty"`
}

// Report is what doctor checked and found.
type Report struct {
	Photos   int       `json:"photos"` // distinct photo contents checked
	Problems []Problem `json:"problems"`
}

// DoctorOptions say what doctor does beyond checking.
type DoctorOptions struct {
	// Repair remakes missing renditions and removes unused and stray files.
	Repair bool
	// Hashes reads every original to check that its bytes are the ones
	// imported (their SHA-256); else only their sizes are checked.
	Hashes bool
	// Progress, if not nil, hears of each photo repaired.
	Progress func(Progress)
}

// strayAge protects the files of an import in progress: they are written
// before their row, so doctor leaves recent ones alone.
const strayAge = time.Hour

// Doctor checks the photo storage against the database: that every photo
// has its original, of the size imported (and with Hashes, its bytes),
// and its renditions, and that no unused or stray files are left. It works
// through the storage interface alike for a folder and a bucket. With
// Repair, it remakes missing renditions (one photo per CPU at a time) and
// removes unused and stray files older than an hour. A missing or damaged
// original cannot be remade: it is reported for the photographer to import
// again. A rendition added to the table reaches every existing photo this
// way, made from its preview.
func Doctor(ctx context.Context, store *db.Store, lib *media.Library, opt DoctorOptions) (Report, error) {
	shas, err := store.ContentHashes(ctx)
	if err != nil {
		return Report{}, err
	}
	sizes, err := store.ContentSizes(ctx)
	if err != nil {
		return Report{}, err
	}
	files := lib.Store()
	// One listing: for a bucket, a page per thousand files rather than a
	// request per file. Files are written before their rows, so every
	// file of a row listed above is in it.
	have := map[string]media.ObjectInfo{}
	for info, err := range files.List(ctx, "") {
		if err != nil {
			return Report{}, fmt.Errorf("doctor: %w", err)
		}
		have[info.Key] = info
	}
	rep := Report{Photos: len(shas), Problems: []Problem{}}
	used := map[string]bool{}
	var todo []repairJob
	for _, sha := range shas {
		used[sha] = true
		var missing []string
		for _, k := range media.Keys(sha) {
			if _, ok := have[k]; !ok {
				missing = append(missing, k)
			}
		}
		original := media.OriginalKey(sha)
		damaged := ""
		if info, ok := have[original]; ok {
			if n, known := sizes[sha]; known && info.Size != n {
				damaged = "wrong-size"
			} else if opt.Hashes {
				if err := checkHash(ctx, files, original, sha); errors.Is(err, errWrongHash) {
					damaged = "wrong-hash"
				} else if err != nil {
					return rep, err
				}
			}
		}
		// Only the photo imported again mends a damaged or missing
		// original: such a problem says which photo that is.
		mend := ""
		if _, stored := have[original]; damaged != "" || !stored {
			if mend, err = mendBy(ctx, store, sha); err != nil {
				return rep, err
			}
		}
		if damaged != "" {
			rep.Problems = append(rep.Problems, Problem{Kind: damaged, Path: files.Location(original), SHA256: sha, Error: mend})
		}
		if len(missing) == 0 {
			continue
		}
		remake := damaged == ""
		for _, m := range missing {
			kind, why := "missing-rendition", ""
			if m == original {
				kind, remake, why = "missing-original", false, mend
			}
			rep.Problems = append(rep.Problems, Problem{Kind: kind, Path: files.Location(m), SHA256: sha, Error: why})
		}
		if opt.Repair && remake {
			todo = append(todo, repairJob{sha: sha, first: len(rep.Problems) - len(missing), n: len(missing)})
		}
	}
	repair, progress := opt.Repair, opt.Progress
	repairAll(ctx, lib, todo, rep.Problems, progress)
	stored, strays, err := lib.Stored(ctx)
	if err != nil {
		return rep, err
	}
	// The unused and the strays, with the time that says whether an
	// import may still be writing them.
	type extra struct {
		Problem
		stray media.Stray
	}
	var extras []extra
	for _, sha := range stored {
		if !used[sha] {
			info, err := files.Stat(ctx, media.OriginalKey(sha))
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed meanwhile
			} else if err != nil {
				return rep, err
			}
			extras = append(extras, extra{Problem{Kind: "unused", Path: files.Location(info.Key), SHA256: sha}, media.Stray{Key: info.Key, ModTime: info.ModTime}})
		}
	}
	for _, s := range strays {
		if sha := keySHA(s.Key); used[sha] && slices.Contains(media.Keys(sha), s.Key) {
			// A rendition of a photo whose original is gone (reported
			// above) still shows the photo: not a stray.
			continue
		}
		extras = append(extras, extra{Problem{Kind: "stray", Path: files.Location(s.Key)}, s})
	}
	for _, x := range extras {
		pr := x.Problem
		if repair {
			if time.Since(x.stray.ModTime) > strayAge {
				var err error
				if pr.SHA256 != "" {
					err = lib.Remove(ctx, pr.SHA256)
				} else {
					err = lib.RemoveStray(ctx, x.stray)
				}
				pr.Repaired = err == nil
				if err != nil {
					pr.Error = err.Error()
				}
			} else {
				pr.Error = "recent: left alone in case an import is running"
			}
		}
		rep.Problems = append(rep.Problems, pr)
	}
	return rep, nil
}

// mendBy says how to mend a photo content whose original is damaged or
// missing: import the photo again, named by its file and gallery.
func mendBy(ctx context.Context, store *db.Store, sha string) (string, error) {
	uses, err := store.ContentUses(ctx, sha)
	if err != nil || len(uses) == 0 {
		return "import the photo again", err
	}
	u := uses[0]
	more := ""
	if len(uses) > 1 {
		more = fmt.Sprintf(", and %d more", len(uses)-1)
	}
	return fmt.Sprintf("import the photo again: %s in %s%s", u.Filename, u.Gallery, more), nil
}

// repairJob is one photo whose renditions doctor remakes, with the
// problems (n from first) that the outcome is written into.
type repairJob struct {
	sha      string
	first, n int
}

// repairAll remakes the renditions of each job, one per CPU at a time.
func repairAll(ctx context.Context, lib *media.Library, todo []repairJob, problems []Problem, progress func(Progress)) {
	if len(todo) == 0 {
		return
	}
	p := Progress{Total: len(todo), Started: time.Now()}
	var mu sync.Mutex
	jobs := make(chan repairJob)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				err := lib.Repair(ctx, j.sha)
				for i := j.first; i < j.first+j.n; i++ {
					problems[i].Repaired = err == nil
					if err != nil {
						problems[i].Error = err.Error()
					}
				}
				mu.Lock()
				p.Done++
				p.Last, p.Outcome, p.Now = j.sha, "repaired", time.Now()
				if err != nil {
					p.Outcome = "failed"
					p.Failed = append(p.Failed, Failure{File: j.sha, Error: err.Error()})
				} else {
					p.Imported++
				}
				if progress != nil {
					progress(p)
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- j
	}
	close(jobs)
	wg.Wait()
}

var errWrongHash = errors.New("bytes are not those imported")

// checkHash reads the file at key and checks that its SHA-256 is sha.
func checkHash(ctx context.Context, files media.Store, key, sha string) error {
	o, err := files.Open(ctx, key)
	if err != nil {
		return fmt.Errorf("doctor: %w", err)
	}
	defer o.Close()
	h := sha256.New()
	if _, err := io.Copy(h, o); err != nil {
		return fmt.Errorf("doctor: read %s: %w", files.Location(key), err)
	}
	if hex.EncodeToString(h.Sum(nil)) != sha {
		return fmt.Errorf("%s: %w", files.Location(key), errWrongHash)
	}
	return nil
}

// keySHA is the hash a key of the layout names.
func keySHA(key string) string {
	name := path.Base(key)
	return strings.TrimSuffix(name, ".jpg")
}
