package studio

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
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
	Kind     string `json:"kind"` // missing-original, missing-rendition, unused, stray
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

// strayAge protects the files of an import in progress: they are written
// before their row, so doctor leaves recent ones alone.
const strayAge = time.Hour

// Doctor checks that every photo has its original and renditions and that
// no stray files are left. With repair, it remakes missing renditions (one
// photo per CPU at a time; progress, if not nil, hears of each photo done)
// and removes unused and stray files older than an hour. A missing
// original cannot be remade: it is reported for the photographer to import
// again. A rendition added to the table reaches every existing photo this
// way, made from its preview.
func Doctor(ctx context.Context, store *db.Store, lib *media.Library, repair bool, progress func(Progress)) (Report, error) {
	shas, err := store.ContentHashes(ctx)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Photos: len(shas), Problems: []Problem{}}
	used := map[string]bool{}
	var todo []repairJob
	files := lib.Store()
	for _, sha := range shas {
		used[sha] = true
		missing, err := lib.Check(ctx, sha)
		if err != nil {
			return rep, err
		}
		if len(missing) == 0 {
			continue
		}
		original := false
		for _, m := range missing {
			kind := "missing-rendition"
			if m == media.OriginalKey(sha) {
				kind, original = "missing-original", true
			}
			rep.Problems = append(rep.Problems, Problem{Kind: kind, Path: files.Location(m), SHA256: sha})
		}
		if repair && !original {
			todo = append(todo, repairJob{sha: sha, first: len(rep.Problems) - len(missing), n: len(missing)})
		}
	}
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
