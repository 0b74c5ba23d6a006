package studio

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// Failure is one file an import refused, and why.
type Failure struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// Summary is the outcome of an import.
type Summary struct {
	Imported int       `json:"imported"`
	Existing int       `json:"existing"`
	Failed   []Failure `json:"failed"`
}

// Progress is reported after every file.
type Progress struct {
	Summary
	Total   int    // files to look at
	Done    int    // files finished, whatever the outcome
	Last    string // the file just finished
	Outcome string // what became of it: imported, existing or failed
	Started time.Time
	Now     time.Time
}

// Rate is files that took work (imported or failed) per second so far:
// as for Remaining, those already in the gallery would make a resumed
// import look far quicker than it is.
func (p Progress) Rate() float64 {
	s := p.Now.Sub(p.Started).Seconds()
	if s <= 0 {
		return 0
	}
	return float64(p.Done-p.Existing) / s
}

// Remaining estimates the time left from the files that took work: those
// already in the gallery go by in a moment, and counting them would make
// a resumed import look far quicker than it is. 0: not known yet.
func (p Progress) Remaining() time.Duration {
	s := p.Now.Sub(p.Started).Seconds()
	worked := p.Done - p.Existing
	if s <= 0 || worked <= 0 {
		return 0
	}
	return time.Duration(float64(p.Total-p.Done) * s / float64(worked) * float64(time.Second))
}

// Import adds files and folders to a gallery: each photo is validated,
// stored once by content and given its renditions, then recorded. A photo
// the gallery already holds counts as existing; a file that fails is
// listed and the rest go on. The database row is written only after the
// files are in place, so a cancelled or killed import leaves a consistent
// gallery, and running it again finishes the job. progress may be nil.
func Import(ctx context.Context, store *db.Store, lib *media.Library, slug string, paths []string, opt media.Options, progress func(Progress)) (Summary, error) {
	g, err := store.GallerySettings(ctx, slug) // only its id is needed: no photo count
	if err != nil {
		return Summary{}, err
	}
	// A full disk or a read-only folder would fail every file alike.
	if err := store.CheckWritable(); err != nil {
		return Summary{}, fmt.Errorf("import into %s: %w", slug, err)
	}
	files, leftOut, err := media.Walk(paths)
	if err != nil {
		return Summary{}, err
	}
	p := Progress{Total: len(files), Started: time.Now()}
	p.Failed = []Failure{}
	for _, pe := range leftOut {
		p.Failed = append(p.Failed, Failure{File: pe.Path, Error: pe.Err.Error()})
	}
	// What the gallery holds is read once, and kept current as photos are
	// added, instead of a query per file.
	held, err := store.Photos(ctx, g.ID)
	if err != nil {
		return Summary{}, err
	}
	var mu sync.Mutex
	has := make(map[string]bool, len(held))
	for _, ph := range held {
		has[ph.SHA256] = true
	}
	skip := func(sha string) bool {
		mu.Lock()
		defer mu.Unlock()
		return has[sha]
	}
	if progress != nil {
		// How many files there are, before the first is done.
		p.Now = time.Now()
		progress(p)
	}
	// The photo storage out of reach or refusing would fail every file
	// alike, each after its retries: the first such failure stops the
	// import, which says why.
	run, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	lib.AddAll(run, files, opt, skip, func(ph media.Photo, err error) {
		if run.Err() != nil && errors.Is(err, run.Err()) {
			return // not started or cut short: the next run does it
		}
		if errors.Is(err, media.ErrUnavailable) {
			stop(err)
			return // not recorded: the next run does it
		}
		p.Done++
		p.Last = ph.Source
		failures := len(p.Failed)
		switch {
		case err != nil:
			p.Failed = append(p.Failed, Failure{File: ph.Source, Error: err.Error()})
		case ph.Skipped:
			p.Existing++
			p.Outcome = "existing"
		default:
			p.Outcome = "imported"
			_, err := store.AddPhoto(ctx, db.Photo{
				GalleryID: g.ID, Filename: ph.Name, SHA256: ph.SHA256, Bytes: ph.Bytes,
				Width: ph.Width, Height: ph.Height, TakenAt: takenAt(ph), Camera: ph.Camera,
			})
			switch {
			case errors.Is(err, db.ErrConflict):
				p.Existing++ // the same picture twice in this import
				p.Outcome = "existing"
			case err != nil:
				p.Failed = append(p.Failed, Failure{File: ph.Source, Error: err.Error()})
			default:
				p.Imported++
				mu.Lock()
				has[ph.SHA256] = true
				mu.Unlock()
			}
		}
		if len(p.Failed) > failures {
			p.Outcome = "failed"
		}
		if progress != nil {
			p.Now = time.Now()
			progress(p)
		}
	})
	if err := context.Cause(run); err != nil {
		return p.Summary, fmt.Errorf("import into %s stopped after %d of %d files: %w", slug, p.Done, p.Total, err)
	}
	return p.Summary, nil
}

func takenAt(ph media.Photo) time.Time {
	if !ph.HasTime {
		return time.Time{}
	}
	return ph.TakenAt
}
