package bucket_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"pinhole/internal/s3test"
	"pinhole/media"
	"pinhole/media/bucket"
)

// sink is the far end of a loopback TCP connection: what is written to
// the near end (a *net.TCPConn, whose ReadFrom splices) arrives there.
func sink(t *testing.T) (near *net.TCPConn, got func() []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan []byte)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- nil
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		done <- b
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return c.(*net.TCPConn), func() []byte { c.Close(); return <-done }
}

// proxied is a store on a bucket of a new S3 server, reached through a
// proxy the test can slow down or cut.
func proxied(t *testing.T) (*bucket.Store, *s3test.Proxy) {
	t.Helper()
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	proxy := srv.NewProxy(t)
	t.Setenv("AWS_ENDPOINT_URL", proxy.Endpoint)
	s, err := bucket.Open(context.Background(), s3test.URL(srv.Bucket(t), "studio"))
	if err != nil {
		t.Fatal(err)
	}
	return s, proxy
}

// putRandom stores n random bytes at key, and returns them.
func putRandom(t *testing.T, s *bucket.Store, key string, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.N(256))
	}
	if err := s.Put(context.Background(), key, bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	return b
}

// On a plain-HTTP endpoint an object sends itself to a socket whole, again
// and again on kept connections, and reads as before; a missing key, a
// body left half read, a cancelled request and a cut connection end
// cleanly, and the next reads work.
func TestOpen_PlainEndpoint(t *testing.T) {
	ctx := context.Background()
	s, proxy := proxied(t)
	want := putRandom(t, s, "originals/ab/x", 3<<20+17)
	send := func() ([]byte, error) {
		o, err := s.Open(ctx, "originals/ab/x")
		if err != nil {
			return nil, err
		}
		defer o.Close()
		near, got := sink(t)
		n, err := o.(io.WriterTo).WriteTo(near)
		b := got()
		if err == nil && n != int64(len(b)) {
			t.Errorf("WriteTo: %d bytes said, %d arrived", n, len(b))
		}
		return b, err
	}
	for i := range 3 {
		if got, err := send(); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("send %d: %d bytes, %v; want the object's %d", i, len(got), err, len(want))
		}
	}
	read := func() {
		t.Helper()
		o, err := s.Open(ctx, "originals/ab/x")
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		if fi, _ := o.Stat(); fi.Size() != int64(len(want)) || fi.ModTime().IsZero() {
			t.Errorf("Stat: %d bytes, %v", fi.Size(), fi.ModTime())
		}
		if got, err := io.ReadAll(o); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read: %d bytes, %v", len(got), err)
		}
	}
	read()

	if _, err := s.Open(ctx, "originals/ab/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing key: %v, want fs.ErrNotExist", err)
	}
	// Half read, then closed: its connection is dropped, not reused.
	o, err := s.Open(ctx, "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(o, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	o.Close()
	read()

	// A request that ends mid-way ends its read at once.
	cctx, cancel := context.WithCancel(ctx)
	proxy.SetDelay(100 * time.Millisecond)
	o, err = s.Open(cctx, "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	if _, err := io.Copy(io.Discard, o); err == nil || time.Since(start) > 3*time.Second {
		t.Errorf("read of a cancelled request: %v after %v; want an error at once", err, time.Since(start))
	}
	o.Close()

	// Cut mid-way while splicing: an error, never a short object as whole.
	o, err = s.Open(ctx, "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(300*time.Millisecond, func() { proxy.SetDown(true) })
	near, got := sink(t)
	_, err = o.(io.WriterTo).WriteTo(near)
	if b := got(); err == nil || len(b) >= len(want) {
		t.Errorf("send cut mid-way: %d of %d bytes, error %v; want an error before the end", len(b), len(want), err)
	}
	o.Close()
	proxy.SetDown(false)
	proxy.SetDelay(0)
	if got, err := send(); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("send after the cut: %d bytes, %v", len(got), err)
	}
	read()
}

// An object opened ahead of its turn (a ZIP's next file) whose connection
// the bucket drops before it is read is read whole all the same, from a
// new GET held to the same version: read, or sent to a socket.
func TestOpen_DroppedWhileWaiting(t *testing.T) {
	ctx := context.Background()
	s, proxy := proxied(t)
	want := putRandom(t, s, "originals/ab/x", 3<<20+17)
	for _, how := range []string{"read", "sent"} {
		proxy.SetDelay(50 * time.Millisecond) // the answer's first chunk only, before the drop
		o, err := s.Open(ctx, "originals/ab/x")
		if err != nil {
			t.Fatal(err)
		}
		proxy.SetDown(true)
		proxy.SetDown(false)
		proxy.SetDelay(0)
		var got []byte
		if how == "read" {
			got, err = io.ReadAll(o)
		} else {
			near, sent := sink(t)
			_, err = o.(io.WriterTo).WriteTo(near)
			got = sent()
		}
		o.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s after its connection was dropped: %d bytes of %d, %v", how, len(got), len(want), err)
		}
	}
}

// Objects asked for ahead (a ZIP's next files) open in turn with their
// bytes; one missing says so when opened; one dropped unopened leaves
// nothing behind; one whose connection the bucket closed meanwhile is
// asked for again.
func TestPrefetch(t *testing.T) {
	ctx := context.Background()
	s, proxy := proxied(t)
	keys := []string{"originals/ab/1", "originals/cd/2", "originals/ef/3"}
	for i, k := range keys {
		if err := s.Put(ctx, k, bytes.NewReader(bytes.Repeat([]byte{byte(i)}, 200<<10+i))); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what string, open func() (media.Object, error), i int) {
		t.Helper()
		o, err := open()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		defer o.Close()
		got, err := io.ReadAll(o)
		if err != nil || !bytes.Equal(got, bytes.Repeat([]byte{byte(i)}, 200<<10+i)) {
			t.Errorf("%s: %d bytes, %v; want object %d", what, len(got), err, i)
		}
	}
	var opens []func() (media.Object, error)
	for _, k := range append(keys, "originals/ab/missing") {
		open, _ := s.Prefetch(ctx, k)
		opens = append(opens, open)
	}
	for i, k := range keys {
		check("prefetched "+k, opens[i], i)
	}
	if _, err := opens[3](); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("prefetched missing key: %v, want fs.ErrNotExist", err)
	}

	_, drop := s.Prefetch(ctx, keys[0])
	drop()
	open, _ := s.Prefetch(ctx, keys[1])
	check("prefetched after one dropped", open, 1)

	open, _ = s.Prefetch(ctx, keys[2])
	proxy.SetDown(true)
	proxy.SetDown(false)
	check("prefetched, its connection then closed", open, 2)
}
