package studio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/internal/s3test"
	"pinhole/media"
)

func TestStorageURL(t *testing.T) {
	data := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ raw, want, err string }{
		{"", "", ""},
		{"file://" + filepath.Join(data, "photos"), "", ""},
		{"file://" + filepath.Join(data, "photos") + "/", "", ""},
		{"file:///srv/photos/../pictures", "file:///srv/pictures", ""},
		{"file://pictures", "file://" + filepath.ToSlash(filepath.Join(wd, "pictures")), ""},
		{"file://./pictures/", "file://" + filepath.ToSlash(filepath.Join(wd, "pictures")), ""},
		{"s3://studio", "s3://studio", ""},
		{"s3://studio/", "s3://studio", ""},
		{"s3://studio/pinhole/photos/", "s3://studio/pinhole/photos", ""},
		{"/srv/photos", "", "want file://DIR or s3://BUCKET/PREFIX"},
		{"https://example.com/x", "", "want file://DIR or s3://BUCKET/PREFIX"},
		{"s3://", "", "want s3://BUCKET"},
		{"s3://b/../x", "", "not a clean path"},
		{"file://", "", "the folder is missing"},
		{"file:photos", "", "file://photos, with two slashes"},
		{"file://~/photos", "", "~ is not expanded"},
		{"file://photos?x=1", "", "no user name, query or fragment"},
	} {
		got, err := StorageURL(data, tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("StorageURL(%q) = %q, %v; want an error saying %q", tt.raw, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("StorageURL(%q) = %q, %v; want %q", tt.raw, got, err, tt.want)
		}
	}
}

// The storage is remembered once given; another is refused while photos
// are stored, with a message that says where they are.
func TestOpenStorage(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	ctx := context.Background()
	data := t.TempDir()
	s, err := db.Open(ctx, filepath.Join(data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	bucketURL := s3test.URL(srv.Bucket(t), "studio")

	open := func(given string) (media.Store, error) {
		t.Helper()
		return OpenStorage(ctx, s, data, given)
	}
	// Nothing given, nothing recorded: the data folder's photos/.
	st, err := open("")
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := st.(*media.Folder); !ok || f.Root() != filepath.Join(data, "photos") {
		t.Fatalf("default storage: %T %s", st, st.URL())
	}
	// No photos yet: a bucket given is taken and recorded.
	st, err = open(bucketURL)
	if err != nil {
		t.Fatal(err)
	}
	if st.URL() != bucketURL {
		t.Fatalf("storage %s, want %s", st.URL(), bucketURL)
	}
	if _, ok := st.(*media.Cache); !ok {
		t.Errorf("a bucket opens as %T, want it behind the local cache", st)
	}
	title := "Smith wedding"
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: "a.jpg", SHA256: strings.Repeat("ab", 32), Bytes: 1, Width: 1, Height: 1}); err != nil {
		t.Fatal(err)
	}
	// Later, with nothing given, the recorded bucket; given the same, too.
	for _, given := range []string{"", bucketURL, bucketURL + "/"} {
		if st, err := open(given); err != nil || st.URL() != bucketURL {
			t.Fatalf("open(%q) = %v, %v; want the recorded bucket", given, st, err)
		}
	}
	// Another one is refused, saying where the photos are.
	for _, other := range []string{"file://" + filepath.Join(data, "photos"), s3test.URL(srv.Bucket(t), "studio")} {
		_, err := open(other)
		if !errors.Is(err, ErrOtherStorage) || !strings.Contains(err.Error(), "they are in "+bucketURL) || !strings.Contains(err.Error(), "storage migrate --to "+other) {
			t.Errorf("open(%q): %v; want ErrOtherStorage naming %s", other, err, bucketURL)
		}
	}
	if got, _ := s.StorageURL(ctx); got != bucketURL {
		t.Errorf("after refusals the database records %q", got)
	}
}
