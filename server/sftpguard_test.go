package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pkg/sftp"

	"pinhole/db"
)

// Refusals written by the guard must never land inside another answer:
// refuse escapes over and over while a large upload streams pipelined
// writes on the same channel.
func TestSFTPGuard_DenyDuringUpload(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{}, func(store *db.Store, cfg *SSHConfig) {
		cfg.Import, cfg.Original = fakeImport(store, filepath.Join(dir, "library"))
	})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: ptr("Busy")})
	if err != nil {
		t.Fatal(err)
	}
	client, err := sftp.NewClient(ts.goClient(t), sftp.UseConcurrentWrites(true), sftp.MaxConcurrentRequestsPerFile(64))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	data := make([]byte, 32<<20)
	rand.Read(data)
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := client.Create("/" + g.Slug + "/big.jpg")
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := f.ReadFrom(bytes.NewReader(data)); err != nil {
			t.Error(err)
		}
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	}()
	denied := 0
	for uploading := true; uploading; denied++ {
		select {
		case <-done:
			uploading = false
		default:
		}
		_, err := client.Stat("/" + g.Slug + "/../../etc/passwd")
		if !errors.Is(err, os.ErrPermission) {
			t.Fatalf("stat of an escape: %v, want permission denied", err)
		}
		if _, err := client.Stat("/" + g.Slug); err != nil {
			t.Fatalf("stat of the gallery: %v", err)
		}
	}
	if denied < 5 {
		t.Errorf("only %d refusals while the upload ran", denied)
	}
	ps, _ := ts.store.Photos(ctx, g.ID)
	if len(ps) != 1 || ps[0].Bytes != int64(len(data)) {
		t.Fatalf("photos after the upload: %+v, want one of %d bytes", ps, len(data))
	}
	got, err := os.ReadFile(filepath.Join(dir, "library", ps[0].SHA256))
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("the stored upload differs from what was sent (%v)", err)
	}
}
