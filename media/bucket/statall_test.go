package bucket_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"pinhole/internal/s3test"
	"pinhole/media"
	"pinhole/media/bucket"
)

// counter passes requests on to the S3 server and counts them by kind
// ("HEAD", "LIST", …).
type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n[kind]++
}

func (c *counter) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = map[string]int{}
	return n
}

func countingProxy(t *testing.T, endpoint string) (*counter, string) {
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c := &counter{n: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind := r.Method
		if r.URL.Query().Get("list-type") == "2" {
			kind = "LIST"
		}
		c.add(kind)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return c, srv.URL
}

// The sizes of a big ZIP's files come from their folders' listings, a
// request for several keys, rather than from a HEAD each — while the
// folders hold few other objects; and a missing object or a bucket out
// of reach still fails it before anything is sent.
func TestStatAll_Lists(t *testing.T) {
	srv := s3test.Start(t)
	reqs, endpoint := countingProxy(t, srv.Endpoint)
	name := srv.Bucket(t)
	srv.Setenv(t, endpoint)
	s, err := bucket.Open(context.Background(), s3test.URL(name, "studio"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var keys []string
	for i := range 64 {
		k := fmt.Sprintf("originals/%02x/%02x%03d", i%8, i%8, i)
		if err := s.Put(ctx, k, strings.NewReader(strings.Repeat("x", i))); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
	}
	reqs.reset()
	infos, err := media.StatAll(ctx, s, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, info := range infos {
		if info.Key != keys[i] || info.Size != int64(i) {
			t.Errorf("StatAll[%d] = %+v, want %s of %d bytes", i, info, keys[i], i)
		}
	}
	if n := reqs.reset(); n["LIST"] > 3 || len(n) != 1 {
		t.Errorf("requests for 64 keys in all 8 folders of originals/: %v, want a listing of originals/ (after one of a folder and one of the folders)", n)
	}
	if _, err := media.StatAll(ctx, s, append(keys, "originals/05/nothing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("StatAll with a key missing from originals/'s listing: %v, want fs.ErrNotExist", err)
	}

	// Many other folders in originals/: a listing of each folder asked for.
	for i := 8; i < 48; i++ {
		if err := s.Put(ctx, fmt.Sprintf("originals/%02x/other", i), strings.NewReader("z")); err != nil {
			t.Fatal(err)
		}
	}
	reqs.reset()
	if infos, err = media.StatAll(ctx, s, keys); err != nil || infos[63].Size != 63 {
		t.Fatalf("StatAll: %v, %+v", err, infos[63])
	}
	if n := reqs.reset(); n["LIST"] != 9 || len(n) != 1 {
		t.Errorf("requests for 64 keys in 8 folders of 48: %v, want a listing of each (and one of the folders)", n)
	}

	// Folders that hold more objects than are asked for: a HEAD each.
	for i := range 8 {
		for j := range 40 {
			k := fmt.Sprintf("originals/%02x/other%03d", i, j)
			if err := s.Put(ctx, k, strings.NewReader("y")); err != nil {
				t.Fatal(err)
			}
		}
	}
	reqs.reset()
	if _, err := media.StatAll(ctx, s, keys[:16]); err != nil {
		t.Fatal(err)
	}
	if n := reqs.reset(); n["LIST"] > 1 || n["HEAD"] < 14 {
		t.Errorf("requests for 16 keys in 8 folders of 48 objects: %v, want a HEAD each (after one listing)", n)
	}

	for _, missing := range []string{"originals/03/03999", "originals/30/nothing", "originals/ff/nothing"} {
		if _, err := media.StatAll(ctx, s, append(keys, missing)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("StatAll with %s missing: %v, want fs.ErrNotExist", missing, err)
		}
	}
	down := srv.NewProxy(t)
	down.SetDown(true)
	srv.Setenv(t, down.Endpoint)
	if s, err = bucket.Open(ctx, s3test.URL(name, "studio")); !errors.Is(err, bucket.ErrUnreachable) {
		t.Fatalf("Open with the bucket out of reach: %v", err)
	}
	if _, err := media.StatAll(ctx, s, keys); !errors.Is(err, media.ErrUnavailable) {
		t.Errorf("StatAll with the bucket out of reach: %v, want media.ErrUnavailable", err)
	}
}
