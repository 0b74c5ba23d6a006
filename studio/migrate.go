package studio

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// MigrateJournal is the file, in the data folder, where a storage
// migration notes each file it has copied and verified, so that one cut
// short goes on where it stopped.
const MigrateJournal = "storage-migrate.journal"

// MigrateReport is what a storage migration did.
type MigrateReport struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Files    int      `json:"files"`    // photo files the database needs
	Copied   int      `json:"copied"`   // copied and verified by this run
	Verified int      `json:"verified"` // copied and verified by an earlier run
	Bytes    int64    `json:"bytes"`    // copied by this run
	Missing  []string `json:"missing"`  // not in the old storage (doctor reports them)
	Switched bool     `json:"switched"` // the database now names the new storage
}

// ErrMigrateFailed: some files were not copied; the database still names
// the old storage.
var ErrMigrateFailed = errors.New("not every photo file was copied")

// MigrateStorage copies every photo file the database needs (originals
// and renditions) from one storage to another, through the storage
// interface, so that any two (folder, bucket) will do. Each file's
// SHA-256 is taken as it is read, an original's checked against the
// content it was imported with, and the copy read back and checked
// against it. Each verified file is noted in the journal (a path in the
// data folder, see [MigrateJournal]); a run cut short is resumed by
// running it again, which takes the noted files that are still there at
// their size as done, without copying or reading them again. Photos
// imported meanwhile are copied too. When everything is there, and only
// then, the database is switched to the new storage (canonical is its
// URL as [StorageURL] makes it); the old copy is left as it is, for the
// photographer to remove. progress, if not nil, hears of each file.
func MigrateStorage(ctx context.Context, store *db.Store, from, to media.Store, canonical, journal string, progress func(Progress)) (MigrateReport, error) {
	if c, ok := from.(*media.Cache); ok {
		// Read past the cache of hot renditions: copying every file
		// through it would push out what the website keeps at hand.
		from = c.Store
	}
	rep := MigrateReport{From: from.URL(), To: to.URL(), Missing: []string{}}
	if from.URL() == to.URL() {
		return rep, fmt.Errorf("storage migrate: the photos are already in %s", to.URL())
	}
	noted, err := readJournal(journal, to.URL())
	if err != nil {
		return rep, err
	}
	jf, err := os.OpenFile(journal, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return rep, fmt.Errorf("storage migrate: %w", err)
	}
	defer jf.Close()
	if len(noted) == 0 {
		if err := jf.Truncate(0); err != nil {
			return rep, fmt.Errorf("storage migrate: %w", err)
		}
		if _, err := fmt.Fprintf(jf, "%s%s\n", journalHead, to.URL()); err != nil {
			return rep, fmt.Errorf("storage migrate: %w", err)
		}
	}
	m := &migration{ctx: ctx, from: from, to: to, noted: noted, journal: jf, rep: &rep, progress: progress,
		p: Progress{Started: time.Now()}}
	done := map[string]bool{}
	for {
		// Again until no photo came in meanwhile.
		shas, err := store.ContentHashes(ctx)
		if err != nil {
			return rep, err
		}
		var keys []string
		for _, sha := range shas {
			for _, k := range media.Keys(sha) {
				if !done[k] {
					keys = append(keys, k)
					done[k] = true
				}
			}
		}
		if len(keys) == 0 {
			break
		}
		rep.Files += len(keys)
		m.p.Total = rep.Files
		m.copyAll(keys)
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if len(m.p.Failed) > 0 {
			first := m.p.Failed[0]
			return rep, fmt.Errorf("storage migrate: %d of %d files: %w (the first, %s: %s); the photos stay in %s (run it again to go on)",
				len(m.p.Failed), rep.Files, ErrMigrateFailed, PrintableName(first.File), first.Error, from.URL())
		}
	}
	if err := jf.Sync(); err != nil {
		return rep, fmt.Errorf("storage migrate: %w", err)
	}
	if err := store.SetStorageURL(ctx, canonical); err != nil {
		return rep, err
	}
	rep.Switched = true
	jf.Close()
	os.Remove(journal)
	return rep, nil
}

// journalHead starts a journal's first line, which names the destination.
const journalHead = "pinhole storage migrate to "

// readJournal returns the files a journal notes as copied to dest, with
// their sizes; none if it is missing or was written for another
// destination.
func readJournal(path, dest string) (map[string]int64, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]int64{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage migrate: %w", err)
	}
	noted := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	if !sc.Scan() || sc.Text() != journalHead+dest {
		return noted, nil
	}
	for sc.Scan() {
		size, key, ok := strings.Cut(sc.Text(), " ")
		n, err := strconv.ParseInt(size, 10, 64)
		if ok && err == nil && media.CheckKey(key) == nil {
			noted[key] = n
		}
	}
	return noted, nil
}

// migration is one run's copying.
type migration struct {
	ctx      context.Context
	from, to media.Store
	noted    map[string]int64

	mu       sync.Mutex // guards what follows
	journal  *os.File
	rep      *MigrateReport
	p        Progress
	progress func(Progress)
}

// copyAll copies keys a few at a time: a bucket answers each request
// after a round trip.
func (m *migration) copyAll(keys []string) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range max(4, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for k := range jobs {
				m.one(k)
			}
		})
	}
	for _, k := range keys {
		if m.ctx.Err() != nil {
			break
		}
		jobs <- k
	}
	close(jobs)
	wg.Wait()
}

// one copies and verifies key, unless an earlier run did, and notes the
// outcome.
func (m *migration) one(key string) {
	outcome, n, err := m.copy(key)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.p.Done++
	m.p.Last, m.p.Outcome, m.p.Now = m.from.Location(key), outcome, time.Now()
	switch outcome {
	case "copied":
		m.rep.Copied++
		m.rep.Bytes += n
		m.p.Imported++
		if _, err := fmt.Fprintf(m.journal, "%d %s\n", n, key); err != nil && m.ctx.Err() == nil {
			m.p.Outcome = "failed"
			m.p.Failed = append(m.p.Failed, Failure{File: m.to.Location(key), Error: err.Error()})
		}
	case "verified":
		m.rep.Verified++
		m.p.Existing++
	case "missing":
		m.rep.Missing = append(m.rep.Missing, m.from.Location(key))
		m.p.Existing++
	default:
		if m.ctx.Err() == nil {
			m.p.Failed = append(m.p.Failed, Failure{File: m.from.Location(key), Error: err.Error()})
		}
	}
	if m.progress != nil {
		m.progress(m.p)
	}
}

// copy copies key and reads the copy back. outcome is copied, verified (by
// an earlier run), missing (not in the old storage) or failed.
func (m *migration) copy(key string) (outcome string, n int64, err error) {
	if size, ok := m.noted[key]; ok {
		if info, err := m.to.Stat(m.ctx, key); err == nil && info.Size == size {
			return "verified", 0, nil
		}
	}
	src, err := m.from.Open(m.ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return "missing", 0, nil
	}
	if err != nil {
		return "failed", 0, err
	}
	defer src.Close()
	h := sha256.New()
	cr := &countReader{r: io.TeeReader(src, h)}
	if err := m.to.Put(m.ctx, key, cr); err != nil {
		return "failed", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if key == media.OriginalKey(path.Base(key)) && sum != path.Base(key) {
		// Never copy a damaged original over as if it were the photo.
		m.to.Delete(m.ctx, key)
		return "failed", 0, fmt.Errorf("%s: its bytes are not those imported (pinhole doctor --hashes reports it)", m.from.Location(key))
	}
	dst, err := m.to.Open(m.ctx, key)
	if err != nil {
		return "failed", 0, fmt.Errorf("read back: %w", err)
	}
	defer dst.Close()
	hd := sha256.New()
	if _, err := io.Copy(hd, dst); err != nil {
		return "failed", 0, fmt.Errorf("read back: %w", err)
	}
	if hex.EncodeToString(hd.Sum(nil)) != sum {
		return "failed", 0, fmt.Errorf("%s: the copy differs from what was sent", m.to.Location(key))
	}
	return "copied", cr.n, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
