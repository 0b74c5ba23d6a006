package sshd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"testing"

	"github.com/pkg/sftp"

	"pinhole/db"
)

// Refusals written by the guard must never land inside another answer:
// refuse escapes over and over while a large upload streams pipelined
// writes on the same channel.
func TestSFTPGuard_DenyDuringUpload(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: new("Busy")})
	if err != nil {
		t.Fatal(err)
	}
	client, err := sftp.NewClient(ts.goClient(t), sftp.UseConcurrentWrites(true), sftp.MaxConcurrentRequestsPerFile(64))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	data := noiseJPEG(t, 2400, 1800)
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
	if sum := sha256.Sum256(data); ps[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("the stored upload differs from what was sent")
	}
}

func packet(typ byte, id uint32, strs ...string) []byte {
	b := []byte{0, 0, 0, 0, typ, byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	for _, s := range strs {
		n := len(s)
		b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
		b = append(b, s...)
	}
	n := len(b) - 4
	b[0], b[1], b[2], b[3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return b
}

func TestInspect(t *testing.T) {
	tests := []struct {
		name    string
		pkt     []byte
		bad     bool
		op, arg string
	}{
		{"open inside", packet(fxpOpen, 1, "/slug/a.jpg"), false, "", ""},
		{"open escape", packet(fxpOpen, 2, "/slug/../../a.jpg"), true, "escape", "/slug/../../a.jpg"},
		{"stat escape", packet(fxpStat, 3, "/.."), true, "escape", "/.."},
		{"realpath relative escape", packet(fxpRealpath, 4, "../x"), true, "escape", "../x"},
		{"rename target escape", packet(fxpRename, 5, "/slug/a.jpg", "/../a.jpg"), true, "escape", "/../a.jpg"},
		{"symlink", packet(fxpSymlink, 6, "/slug/a", "/slug/b"), true, "link", "/slug/a /slug/b"},
		{"readlink", packet(fxpReadlink, 7, "/slug/a"), true, "link", "/slug/a"},
		{"posix-rename escape", packet(fxpExtended, 8, "posix-rename@openssh.com", "/slug/a", "/../b"), true, "escape", "/../b"},
		{"hardlink", packet(fxpExtended, 9, "hardlink@openssh.com", "/slug/a", "/slug/b"), true, "link", "/slug/a /slug/b"},
		{"other extension", packet(fxpExtended, 10, "limits@openssh.com"), false, "", ""},
		{"read by handle", packet(5, 11, "handle"), false, "", ""},
		{"too short", []byte{0, 0, 0, 1, fxpOpen}, false, "", ""},
		{"truncated path", packet(fxpOpen, 12, "/..")[:12], false, "", ""},
		{"open a folder", packet(fxpOpen, 13, "/slug/sub/"), true, "folder", "/slug/sub/"},
		{"stat a folder", packet(fxpStat, 14, "/slug/"), false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, op, arg, bad := inspect(tt.pkt)
			if bad != tt.bad || op != tt.op || arg != tt.arg {
				t.Errorf("inspect = %q %q %v, want %q %q %v", op, arg, bad, tt.op, tt.arg, tt.bad)
			}
			if bad && len(tt.pkt) >= 9 && id != uint32(tt.pkt[8]) {
				t.Errorf("id %d", id)
			}
		})
	}
}

// noiseJPEG is a photo of noise at the best quality: megabytes that
// take the import's real path, long enough to upload that refusals
// interleave with its writes.
func noiseJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rand.Read(img.Pix)
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
