package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/internal/testio"
)

// TestActivityFollow: activity --follow prints an event that happens
// while it runs, and ends with status 0 when stopped.
func TestActivityFollow(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), nil)
	title := "Smith wedding"
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	fctx, stop := context.WithCancel(ctx)
	defer stop()
	buf := &testio.Buffer{}
	env := &Env{Stdin: strings.NewReader(""), Stdout: buf, Stderr: buf, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- Run(fctx, env, []string{"--data", dir, "activity", g.Slug, "--follow"})
		env.Close()
	}()
	time.Sleep(100 * time.Millisecond)
	s.AddEvent(ctx, db.Event{GalleryID: g.ID, Kind: db.EventZIP, Visitor: "Anna", Detail: "all, 4 photos"})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(buf.String(), "Anna") {
		if time.Now().After(deadline) {
			t.Fatalf("--follow did not print the new event: %s", buf.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if c := <-done; c != 0 {
		t.Fatalf("exit %d", c)
	}
}
