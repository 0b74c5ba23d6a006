package bucket_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pinhole/internal/s3test"
	"pinhole/media"
	"pinhole/media/bucket"
	"pinhole/media/storetest"
)

func TestStore_Contract(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	name := srv.Bucket(t)
	n := 0
	storetest.Run(t, func(t *testing.T) media.Store {
		n++ // each subtest its own prefix: a new, empty store
		s, err := bucket.Open(context.Background(), s3test.URL(name, "studio/"+string(rune('a'+n))))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestOpen_Refused(t *testing.T) {
	srv := s3test.Start(t)
	name := srv.Bucket(t)
	user, userSecret := srv.User(t)
	down := srv.NewProxy(t)
	down.SetDown(true)
	for _, tt := range []struct {
		name string
		env  map[string]string
		url  string
		want string
	}{
		{"wrong secret", map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong"}, s3test.URL(name, ""), "the secret key does not match"},
		{"unknown key", map[string]string{"AWS_ACCESS_KEY_ID": "nobody"}, s3test.URL(name, "p"), "the access key is not known"},
		{"missing bucket", nil, s3test.URL("no-such-bucket", "p"), "no such bucket"},
		{"no permission", map[string]string{"AWS_ACCESS_KEY_ID": user, "AWS_SECRET_ACCESS_KEY": userSecret}, s3test.URL(name, "p"), "no permission"},
		{"unreachable", map[string]string{"AWS_ENDPOINT_URL": down.Endpoint}, s3test.URL(name, "p"), "s3://" + name + "/p"},
		{"not a bucket URL", nil, "s3://b@x/photos", "want s3://BUCKET"},
		{"a query", nil, "s3://b/p?region=x", "want s3://BUCKET"},
		{"unclean prefix", nil, "s3://b/a/../b", "not a clean path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv.Setenv(t, srv.Endpoint)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			_, err := bucket.Open(ctx, tt.url)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open: %v, want an error saying %q", err, tt.want)
			}
			// The bucket's faults, not bad input, are the store's unavailability.
			if got, want := errors.Is(err, media.ErrUnavailable), !strings.HasPrefix(tt.url, "s3://b"); got != want {
				t.Errorf("errors.Is(err, media.ErrUnavailable) = %v, want %v", got, want)
			}
		})
	}
}

// versitygw as the README starts it, with the root account only, answers an
// unknown access key with a code of its own (and HTTP 404): said plainly
// too, not taken for a missing object.
func TestOpen_UnknownKeyRootOnly(t *testing.T) {
	srv := s3test.StartRootOnly(t)
	name := srv.Bucket(t)
	srv.Setenv(t, srv.Endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "nobody")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := bucket.Open(ctx, s3test.URL(name, "p"))
	if !errors.Is(err, bucket.ErrRefused) || !strings.Contains(err.Error(), "the access key is not known") || errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open: %v, want a refusal saying the access key is not known", err)
	}
}

func TestStore_Presign(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	s, err := bucket.Open(context.Background(), s3test.URL(srv.Bucket(t), "studio"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := s.Put(ctx, "originals/ab/x", strings.NewReader("the original")); err != nil {
		t.Fatal(err)
	}
	u, err := s.Presign(ctx, "originals/ab/x", `attachment; filename="IMG_1.jpg"`, "image/jpeg", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "the original" {
		t.Fatalf("GET presigned: %s %q", resp.Status, body)
	}
	if got := resp.Header.Get("Content-Disposition"); got != `attachment; filename="IMG_1.jpg"` {
		t.Errorf("Content-Disposition = %q", got)
	}
	if got := resp.Header.Get("Content-Type"); got != "image/jpeg" {
		t.Errorf("Content-Type = %q", got)
	}
	// Tampered with, it opens nothing.
	resp, err = http.Get(strings.Replace(u, "originals/ab/x", "originals/ab/y", 1))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET of another key with the same signature: %s", resp.Status)
	}
}

// TestOpen_NotAnS3Server: an endpoint that answers like a web server (a
// wrong port, the website's address) is refused in plain words, not with
// the SDK's "error while deserializing xml error response" taken for a
// missing file.
func TestOpen_NotAnS3Server(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<!doctype html><html><head><meta charset=utf-8><title>Not found</title></head><body>Nothing here</body></html>\n")
	}))
	defer web.Close()
	t.Setenv("AWS_ENDPOINT_URL", web.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "studio")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := bucket.Open(ctx, "s3://photos/studio")
	if !errors.Is(err, bucket.ErrRefused) || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "not an S3 server") {
		t.Fatalf("Open: %v, want a refusal saying the endpoint is not an S3 server", err)
	}
	if strings.Contains(err.Error(), "deserializing") || strings.Contains(err.Error(), "XML") {
		t.Errorf("the SDK's words reach the user: %v", err)
	}
}
