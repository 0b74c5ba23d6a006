package bucket

import (
	"context"
	"io"
	"strings"
	"testing"

	"pinhole/internal/s3test"
)

// Our own GETs are signed so that the bucket accepts them, whatever the
// key holds (else every read would fall back to the SDK's, unspliced).
func TestPlain_Signed(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	ctx := context.Background()
	s, err := Open(ctx, s3test.URL(srv.Bucket(t), "studio+1/x=y"))
	if err != nil {
		t.Fatal(err)
	}
	if s.plain == nil {
		t.Fatal("a plain-HTTP endpoint, and no client of our own for it")
	}
	for _, key := range []string{"originals/ab/x", "originals/ab/a b+c=d&e;f,g:h@i$j'k(l)m*n!o", "originals/ab/été 100%", "originals/ab/x~y.z_w-v"} {
		if err := s.Put(ctx, key, strings.NewReader("bytes of "+key)); err != nil {
			t.Fatal(err)
		}
		body, _, ok := s.openPlain(ctx, key)
		if !ok {
			t.Errorf("GET of our own of %q: refused", key)
			continue
		}
		got, err := io.ReadAll(body)
		body.Close()
		if err != nil || string(got) != "bytes of "+key {
			t.Errorf("GET of our own of %q: %q, %v", key, got, err)
		}
	}
}
