package db_test

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_AddPhoto(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	a := mkGallery(t, s, "A")
	b := mkGallery(t, s, "B")

	p := mkPhoto(t, s, a.ID, "one.jpg", "sha-one", time.Time{})
	if p.ID == 0 || p.GalleryID != a.ID || !p.CreatedAt.Equal(t0) {
		t.Errorf("AddPhoto = %+v", p)
	}

	tests := []struct {
		name    string
		gallery int64
		sha     string
		want    error
	}{
		{"same content same gallery", a.ID, "sha-one", db.ErrConflict},
		{"same content other gallery", b.ID, "sha-one", nil},
		{"other content same gallery", a.ID, "sha-two", nil},
		{"missing gallery", 999, "sha-three", db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, raw, "SELECT COUNT(*) FROM photos")
			_, err := s.AddPhoto(ctx, db.Photo{GalleryID: tt.gallery, Filename: "x.jpg", SHA256: tt.sha, Width: 1, Height: 1})
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("AddPhoto: err = %v, want %v", err, tt.want)
			}
			want := before
			if tt.want == nil {
				want++
			}
			if got := count(t, raw, "SELECT COUNT(*) FROM photos"); got != want {
				t.Errorf("photos = %d, want %d", got, want)
			}
		})
	}

}

func TestStore_Photos(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "Order")
	other := mkGallery(t, s, "Other")
	at := func(h int) time.Time { return time.Date(2030, 5, 1, h, 0, 0, 0, time.UTC) }
	// Added out of order on purpose.
	mkPhoto(t, s, g.ID, "z-unknown.jpg", "1", time.Time{})
	mkPhoto(t, s, g.ID, "c.jpg", "2", at(10))
	mkPhoto(t, s, g.ID, "a.jpg", "3", at(11))
	mkPhoto(t, s, g.ID, "a-unknown.jpg", "4", time.Time{})
	mkPhoto(t, s, g.ID, "b.jpg", "5", at(10))
	// 09:30 in UTC, though its local clock says 11:30.
	mkPhoto(t, s, g.ID, "d.jpg", "6", time.Date(2030, 5, 1, 11, 30, 0, 0, time.FixedZone("", 2*3600)))
	mkPhoto(t, s, other.ID, "0.jpg", "7", at(1))

	got, err := s.Photos(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range got {
		names = append(names, p.Filename)
		if p.GalleryID != g.ID {
			t.Errorf("photo %q of gallery %d listed in %d", p.Filename, p.GalleryID, g.ID)
		}
	}
	want := []string{"d.jpg", "b.jpg", "c.jpg", "a.jpg", "a-unknown.jpg", "z-unknown.jpg"}
	if !equal(names, want) {
		t.Errorf("Photos = %v, want %v", names, want)
	}
	if got, err := s.Photos(ctx, 999); err != nil || len(got) != 0 {
		t.Errorf("Photos(999) = %v, %v, want none", got, err)
	}
}

func TestStore_Photo(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	a := mkGallery(t, s, "A")
	b := mkGallery(t, s, "B")
	pa := mkPhoto(t, s, a.ID, "a.jpg", "same", time.Time{})
	pb := mkPhoto(t, s, b.ID, "b.jpg", "same", time.Time{})

	tests := []struct {
		name    string
		gallery int64
		photo   int64
		want    error
	}{
		{"own photo", a.ID, pa.ID, nil},
		{"other gallery's photo", b.ID, pa.ID, db.ErrNotFound},
		{"other way round", a.ID, pb.ID, db.ErrNotFound},
		{"missing photo", a.ID, 999, db.ErrNotFound},
		{"missing gallery", 999, pa.ID, db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Photo(ctx, tt.gallery, tt.photo)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("Photo(%d, %d): err = %v, want %v", tt.gallery, tt.photo, err, tt.want)
			}
			if tt.want == nil && got != pa {
				t.Errorf("Photo = %+v, want %+v", got, pa)
			}
		})
	}
}

func TestStore_PhotoRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "Round trip")
	tests := []struct {
		name       string
		filename   string
		taken      time.Time
		wantOffset int // seconds east of UTC
	}{
		{"utc", "utc.jpg", time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC), 0},
		{"east", "east.jpg", time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("", 2*3600)), 2 * 3600},
		{"west half hour", "west.jpg", time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("NST", -(3*3600+1800))), -(3*3600 + 1800)},
		{"india", "india.jpg", time.Date(2030, 1, 2, 3, 4, 5, 0, time.FixedZone("IST", 5*3600+1800)), 5*3600 + 1800},
		{"unknown time", "unknown.jpg", time.Time{}, 0},
		{"latin-1 name", "caf\xe9 \xdcber.jpg", time.Time{}, 0},
		{"invalid utf-8", "IMG_\xff\xfe\x80\x00x.JPG", time.Time{}, 0},
		{"utf-8 name", "Søn — 写真.jpg", time.Time{}, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := db.Photo{GalleryID: g.ID, Filename: tt.filename, SHA256: tt.name, Bytes: int64(i + 1),
				Width: 4000, Height: 3000, TakenAt: tt.taken, Camera: "X100", Caption: "cap"}
			added, err := s.AddPhoto(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Photo(ctx, g.ID, added.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Filename != tt.filename {
				t.Errorf("Filename = %q, want %q", got.Filename, tt.filename)
			}
			if got.SHA256 != in.SHA256 || got.Bytes != in.Bytes || got.Width != 4000 || got.Height != 3000 ||
				got.Camera != "X100" || got.Caption != "cap" {
				t.Errorf("Photo = %+v, want %+v", got, in)
			}
			if tt.taken.IsZero() {
				if !got.TakenAt.IsZero() {
					t.Errorf("TakenAt = %v, want zero", got.TakenAt)
				}
				return
			}
			if !got.TakenAt.Equal(tt.taken) {
				t.Errorf("TakenAt = %v, want the instant %v", got.TakenAt, tt.taken)
			}
			if _, off := got.TakenAt.Zone(); off != tt.wantOffset {
				t.Errorf("TakenAt offset = %d s, want %d s", off, tt.wantOffset)
			}
			if got, want := got.TakenAt.Format("2006-01-02 15:04:05"), tt.taken.Format("2006-01-02 15:04:05"); got != want {
				t.Errorf("TakenAt wall clock = %s, want %s", got, want)
			}
		})
	}
	// The list reads the same bytes as the single read.
	list, err := s.Photos(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range list {
		names[p.Filename] = true
	}
	for _, tt := range tests {
		if !names[tt.filename] {
			t.Errorf("Photos lacks %q", tt.filename)
		}
	}
}

func TestStore_DeletePhoto(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	a := mkGallery(t, s, "A")
	b := mkGallery(t, s, "B")
	shared := mkPhoto(t, s, a.ID, "shared.jpg", "shared", time.Time{})
	mkPhoto(t, s, b.ID, "shared.jpg", "shared", time.Time{})
	only := mkPhoto(t, s, a.ID, "only.jpg", "only", time.Time{})

	if _, err := s.DeletePhoto(ctx, b.ID, only.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("DeletePhoto through another gallery: err = %v, want ErrNotFound", err)
	}
	tests := []struct {
		name       string
		photo      int64
		wantOrphan bool
	}{
		{"content still in B", shared.ID, false},
		{"content nowhere else", only.ID, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orphan, err := s.DeletePhoto(ctx, a.ID, tt.photo)
			if err != nil {
				t.Fatal(err)
			}
			if orphan != tt.wantOrphan {
				t.Errorf("orphan = %v, want %v", orphan, tt.wantOrphan)
			}
			if _, err := s.Photo(ctx, a.ID, tt.photo); !errors.Is(err, db.ErrNotFound) {
				t.Errorf("Photo after delete: err = %v, want ErrNotFound", err)
			}
		})
	}
	if _, err := s.DeletePhoto(ctx, a.ID, only.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("DeletePhoto twice: err = %v, want ErrNotFound", err)
	}
}

func TestStore_ContentHashes(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	a := mkGallery(t, s, "A")
	b := mkGallery(t, s, "B")
	for _, x := range []struct {
		g   int64
		sha string
	}{{a.ID, "cc"}, {a.ID, "aa"}, {b.ID, "aa"}, {b.ID, "bb"}} {
		mkPhoto(t, s, x.g, x.sha+".jpg", x.sha, time.Time{})
	}
	got, err := s.ContentHashes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"aa", "bb", "cc"}
	if !sort.StringsAreSorted(got) || !equal(got, want) {
		t.Errorf("ContentHashes = %v, want %v", got, want)
	}
}
