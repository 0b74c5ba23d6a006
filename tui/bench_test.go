package tui

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"pinhole/db"
	"pinhole/media"
)

// bigStore is 1,000 galleries (every tenth with two sub-galleries),
// 100,000 photos and 1,000,000 events, made once per benchmark binary.
var bigStore struct {
	path string
	err  error
}

func bigStudio(b *testing.B) *db.Store {
	b.Helper()
	ctx := context.Background()
	if bigStore.path == "" && bigStore.err == nil {
		bigStore.path = filepath.Join(b.TempDir(), "pinhole.db")
		bigStore.err = fillBig(ctx, bigStore.path)
	}
	if bigStore.err != nil {
		b.Fatal(bigStore.err)
	}
	s, err := db.Open(ctx, bigStore.path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func fillBig(ctx context.Context, path string) error {
	s, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	var parent string
	for i := range 1000 {
		title := fmt.Sprintf("Gallery %04d", i)
		in := db.GalleryInput{Title: &title}
		if i%10 == 1 || i%10 == 2 {
			in.Parent = &parent
		}
		g, err := s.CreateGallery(ctx, in)
		if err != nil {
			return err
		}
		if i%10 == 0 {
			parent = g.Slug
		}
		var rows []db.Photo
		for j := range 100 {
			rows = append(rows, db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%04d.jpg", j),
				SHA256: fmt.Sprintf("%032x%032x", i, j), Bytes: 5_000_000, Width: 6000, Height: 4000})
		}
		if _, err := s.AddPhotos(ctx, rows); err != nil {
			return err
		}
	}
	return addEvents(ctx, path, bigEvents)
}

// bigEvents is the history of the big studio: the TUI's first frame and
// activity view must not grow with it.
const bigEvents = 1_000_000

// addEvents writes n events over the last 90 days, spread over the
// galleries, in one transaction (through the store, each would be one).
func addEvents(ctx context.Context, path string, n int) error {
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO events (gallery_id, kind, visitor, address, at) VALUES ((SELECT id FROM galleries ORDER BY id LIMIT 1 OFFSET ?), ?, ?, '192.0.2.1', ?)")
	if err != nil {
		return err
	}
	kinds := []string{db.EventView, db.EventDownload, db.EventFavourite, "pin_fail"}
	now := time.Now().Unix()
	for i := range n {
		if _, err := stmt.ExecContext(ctx, i%1000, kinds[i%len(kinds)], fmt.Sprintf("Guest %d", i%997), now-int64(n-i)*90*24*3600/int64(n)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func benchConfig(b *testing.B, s *db.Store) Config {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetHasDarkBackground(true)
	lib, err := media.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return Config{Store: s, Library: lib, Renderer: r, Output: io.Discard}
}

// BenchmarkFirstFrame builds the model, loads the galleries (what Init's
// command does) and renders the first view: what the photographer waits
// for after typing pinhole.
func BenchmarkFirstFrame(b *testing.B) {
	s := bigStudio(b)
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		m := New(benchConfig(b, s))
		tm, _ := m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		tm, _ = tm.Update(m.galleries.load()())
		if v := tm.View(); len(v) == 0 {
			b.Fatal("empty view")
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/frame")
}

// BenchmarkMoveThroughList is one key press down the list and its frame.
func BenchmarkMoveThroughList(b *testing.B) {
	s := bigStudio(b)
	m := New(benchConfig(b, s))
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	tm, _ = tm.Update(m.galleries.load()())
	down := tea.KeyMsg{Type: tea.KeyDown}
	up := tea.KeyMsg{Type: tea.KeyUp}
	i := 0
	for b.Loop() {
		k := down
		if (i/999)%2 == 1 {
			k = up
		}
		i++
		tm, _ = tm.Update(k)
		_ = tm.View()
	}
}
