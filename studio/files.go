package studio

import (
	"context"
	"errors"
	"fmt"
	"os"
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
		if err := lib.Remove(sha); err != nil {
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
// no stray files are left. With repair, it remakes missing renditions and
// removes unused and stray files older than an hour. A missing original
// cannot be remade: it is reported for the photographer to import again.
func Doctor(ctx context.Context, store *db.Store, lib *media.Library, repair bool) (Report, error) {
	shas, err := store.ContentHashes(ctx)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Photos: len(shas), Problems: []Problem{}}
	used := map[string]bool{}
	for _, sha := range shas {
		used[sha] = true
		missing := lib.Check(sha)
		if len(missing) == 0 {
			continue
		}
		original := false
		for _, m := range missing {
			kind := "missing-rendition"
			if m == lib.OriginalPath(sha) {
				kind, original = "missing-original", true
			}
			rep.Problems = append(rep.Problems, Problem{Kind: kind, Path: m, SHA256: sha})
		}
		if repair && !original {
			err := lib.Repair(ctx, sha)
			for i := len(rep.Problems) - len(missing); i < len(rep.Problems); i++ {
				rep.Problems[i].Repaired = err == nil
				if err != nil {
					rep.Problems[i].Error = err.Error()
				}
			}
		}
	}
	stored, strays, err := lib.Stored()
	if err != nil {
		return rep, err
	}
	var extra []Problem
	for _, sha := range stored {
		if !used[sha] {
			extra = append(extra, Problem{Kind: "unused", Path: lib.OriginalPath(sha), SHA256: sha})
		}
	}
	for _, p := range strays {
		extra = append(extra, Problem{Kind: "stray", Path: p})
	}
	for _, pr := range extra {
		if repair {
			if fi, err := os.Stat(pr.Path); err == nil && time.Since(fi.ModTime()) > strayAge {
				var err error
				if pr.SHA256 != "" {
					err = lib.Remove(pr.SHA256)
				} else {
					err = os.RemoveAll(pr.Path)
				}
				pr.Repaired = err == nil
				if err != nil {
					pr.Error = err.Error()
				}
			} else if err == nil {
				pr.Error = "recent: left alone in case an import is running"
			}
		}
		rep.Problems = append(rep.Problems, pr)
	}
	return rep, nil
}
