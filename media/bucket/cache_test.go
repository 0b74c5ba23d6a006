package bucket_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"pinhole/internal/s3test"
	"pinhole/media"
	"pinhole/media/bucket"
	"pinhole/media/storetest"
)

func openBucket(t *testing.T, srv *s3test.Server, endpoint string) *bucket.Store {
	t.Helper()
	srv.Setenv(t, endpoint)
	s, err := bucket.Open(context.Background(), s3test.URL(srv.Bucket(t), "studio"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The cache in front of a bucket keeps the store's contract.
func TestCache_Contract(t *testing.T) {
	srv := s3test.Start(t)
	storetest.Run(t, func(t *testing.T) media.Store {
		c, err := media.NewCache(openBucket(t, srv, srv.Endpoint), t.TempDir(), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}

func thumbKey(i int) string {
	return fmt.Sprintf("thumbs/%02x/%064x.jpg", i, i)
}

// Renditions once read come from local files, also while the bucket is
// out of reach; originals always from the bucket.
func TestCache_ServesWhileBucketIsDown(t *testing.T) {
	srv := s3test.Start(t)
	proxy := srv.NewProxy(t)
	ctx := context.Background()
	c, err := media.NewCache(openBucket(t, srv, proxy.Endpoint), t.TempDir(), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Repeat([]byte("thumb"), 1000)
	for _, k := range []string{thumbKey(1), "originals/01/x"} {
		if err := c.Put(ctx, k, bytes.NewReader(want)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 8 { // at once: one copy made, every reader served
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := storetest.ReadAll(t, c, thumbKey(1)); !bytes.Equal(got, want) {
				t.Error("thumbnail read through the cache differs")
			}
		}()
	}
	wg.Wait()
	if c.Size() != int64(len(want)) {
		t.Errorf("cache holds %d bytes, want one copy of %d", c.Size(), len(want))
	}
	proxy.SetDown(true)
	o, err := c.Open(ctx, thumbKey(1))
	if err != nil {
		t.Fatalf("cached thumbnail with the bucket down: %v", err)
	}
	if _, ok := o.(*os.File); !ok {
		t.Errorf("a cached rendition opens as %T, want a file (sendfile)", o)
	}
	o.Close()
	if _, err := c.Open(ctx, "originals/01/x"); err == nil {
		t.Error("an original opened with the bucket down: it was cached")
	}
	proxy.SetDown(false)
	if got := storetest.ReadAll(t, c, "originals/01/x"); !bytes.Equal(got, want) {
		t.Error("original differs")
	}
}

// The cache stays within its bound, dropping the least recently read,
// and a new cache on the same folder takes the copies over.
func TestCache_Bound(t *testing.T) {
	srv := s3test.Start(t)
	b := openBucket(t, srv, srv.Endpoint)
	dir := t.TempDir()
	ctx := context.Background()
	c, err := media.NewCache(b, dir, 10_000)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := c.Put(ctx, thumbKey(i), bytes.NewReader(bytes.Repeat([]byte{byte(i)}, 3000))); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{0, 1, 2, 0, 3, 4} {
		storetest.ReadAll(t, c, thumbKey(i))
		if c.Size() > 10_000 {
			t.Fatalf("cache holds %d bytes, bound 10000", c.Size())
		}
	}
	// 0 was read again after 1 and 2: 1 and 2 went.
	for i, want := range []bool{true, false, false, true, true} {
		_, err := os.Stat(filepath.Join(dir, thumbKey(i)))
		if got := err == nil; got != want {
			t.Errorf("copy of %d kept: %v, want %v", i, got, want)
		}
	}
	c2, err := media.NewCache(b, dir, 6_000)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Size() != 6_000 {
		t.Errorf("reopened with a smaller bound: %d bytes kept, want 6000", c2.Size())
	}
	if err := c2.Delete(ctx, thumbKey(4)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, thumbKey(4))); err == nil {
		t.Error("Delete left the local copy")
	}
}
