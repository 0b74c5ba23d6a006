package bucket_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"pinhole/internal/s3test"
)

// An SFTP download reads an original with ReadAt, 32 KiB at a time, from
// several workers at once, a little out of order (OpenSSH keeps 64 reads in flight): that takes a handful
// of GETs, not one per read (a 3 MiB photo was 97), and every byte is
// right, whatever the order; reads far apart still work.
func TestObject_ReadAtLikeSFTP(t *testing.T) {
	srv := s3test.Start(t)
	proxy := srv.NewProxy(t)
	target, _ := url.Parse(proxy.Endpoint)
	var gets atomic.Int64
	rp := httputil.NewSingleHostReverseProxy(target)
	counter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			gets.Add(1)
		}
		rp.ServeHTTP(w, r)
	}))
	defer counter.Close()
	s := openBucket(t, srv, counter.URL)
	ctx := context.Background()
	want := make([]byte, 3<<20+17)
	for i := range want {
		want[i] = byte(rand.N(256))
	}
	if err := s.Put(ctx, "originals/ab/x", bytes.NewReader(want)); err != nil {
		t.Fatal(err)
	}

	o, err := s.Open(ctx, "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	ra := o.(io.ReaderAt)
	gets.Store(0)
	// OpenSSH's client: 32 KiB reads, up to 64 unanswered; pkg/sftp's
	// server answers in order, so a read is answered when it and all
	// before it are done.
	const chunk = 32 << 10
	offs, inFlight := make(chan int64), make(chan struct{}, 64)
	var (
		mu       sync.Mutex
		done     = map[int64]bool{}
		answered int64
	)
	finish := func(off int64) {
		mu.Lock()
		defer mu.Unlock()
		for done[off] = true; done[answered]; answered += chunk {
			<-inFlight
		}
	}
	go func() {
		for off := int64(0); off < int64(len(want)); off += chunk {
			inFlight <- struct{}{}
			offs <- off
		}
		close(offs)
	}()
	got := make([]byte, len(want))
	var wg sync.WaitGroup
	for range 8 { // pkg/sftp's server reads with 8 workers
		wg.Go(func() {
			for off := range offs {
				p := got[off:min(off+chunk, int64(len(got)))]
				n, err := ra.ReadAt(p, off)
				if n != len(p) || (err != nil && err != io.EOF) {
					t.Errorf("ReadAt(%d bytes at %d): %d, %v", len(p), off, n, err)
				}
				finish(off)
			}
		})
	}
	wg.Wait()
	if !bytes.Equal(got, want) {
		t.Fatal("the bytes read differ from the object's")
	}
	if n := gets.Load(); n > 4 {
		t.Errorf("%d GETs for %d reads of 32 KiB; want a few", n, (len(want)+chunk-1)/chunk)
	}

	// Reads anywhere, in any order, at once: right.
	wg = sync.WaitGroup{}
	for range 4 {
		wg.Go(func() {
			for range 20 {
				off := rand.N(int64(len(want)))
				p := make([]byte, rand.N(200<<10)+1)
				n, err := ra.ReadAt(p, off)
				end := min(off+int64(len(p)), int64(len(want)))
				if n != int(end-off) || !bytes.Equal(p[:n], want[off:end]) {
					t.Errorf("ReadAt(%d bytes at %d): %d, %v; not the object's bytes", len(p), off, n, err)
				}
				if n < len(p) && err != io.EOF {
					t.Errorf("ReadAt short of the end: %v, want io.EOF", err)
				}
			}
		})
	}
	wg.Wait()

	// The bucket gone mid-way: an error, never wrong bytes; back, reads
	// work again.
	o2, err := s.Open(ctx, "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	defer o2.Close()
	ra = o2.(io.ReaderAt)
	proxy.SetDown(true)
	p := make([]byte, chunk)
	if _, err := ra.ReadAt(p, 0); err == nil {
		t.Errorf("ReadAt with the bucket down: no error")
	}
	proxy.SetDown(false)
	if n, err := ra.ReadAt(p, 5*chunk); n != chunk || !bytes.Equal(p, want[5*chunk:6*chunk]) {
		t.Errorf("ReadAt once the bucket is back: %d, %v", n, err)
	}
}
