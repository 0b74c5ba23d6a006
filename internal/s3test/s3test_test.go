package s3test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

func put(ctx context.Context, c *s3.Client, bucket, key string, body []byte) error {
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)})
	return err
}

func get(ctx context.Context, c *s3.Client, bucket, key string) ([]byte, error) {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

func TestServer(t *testing.T) {
	s := Start(t)
	bucket := s.Bucket(t)
	ctx := context.Background()
	c := s.Client(s.Endpoint)
	if err := put(ctx, c, bucket, "a/b", []byte("hello")); err != nil {
		t.Fatal(err)
	}
	if got, err := get(ctx, c, bucket, "a/b"); err != nil || string(got) != "hello" {
		t.Fatalf("get = %q, %v", got, err)
	}

	// Another account may not read the root's bucket.
	access, secret := s.User(t)
	_, err := get(ctx, s.client(s.Endpoint, access, secret), bucket, "a/b")
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "AccessDenied" {
		t.Fatalf("other account's get: %v, want AccessDenied", err)
	}

	// An account's own bucket, refused once the account is deleted, and
	// served again when it is back.
	own, oa, os := s.Owner(t)
	oc := s.client(s.Endpoint, oa, os)
	if err := put(ctx, oc, own, "k", []byte("mine")); err != nil {
		t.Fatalf("owner's put: %v", err)
	}
	s.DeleteUser(t, oa)
	if _, err := get(ctx, oc, own, "k"); !errors.As(err, &api) || api.ErrorCode() != "InvalidAccessKeyId" {
		t.Fatalf("deleted account's get: %v, want InvalidAccessKeyId", err)
	}
	s.AddUser(t, oa, os)
	if got, err := get(ctx, oc, own, "k"); err != nil || string(got) != "mine" {
		t.Fatalf("get once the account is back = %q, %v", got, err)
	}

	// Through the proxy: slow, cut, back.
	p := s.NewProxy(t)
	pc := s.Client(p.Endpoint)
	if got, err := get(ctx, pc, bucket, "a/b"); err != nil || string(got) != "hello" {
		t.Fatalf("get through proxy = %q, %v", got, err)
	}
	p.SetDelay(300 * time.Millisecond)
	start := time.Now()
	if _, err := get(ctx, pc, bucket, "a/b"); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Fatalf("slow get took %v, err %v", time.Since(start), err)
	}
	p.SetDelay(0)
	p.SetDown(true)
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	if _, err := get(short, pc, bucket, "a/b"); err == nil {
		t.Fatal("get through a cut proxy succeeded")
	}
	cancel()
	p.SetDown(false)
	if _, err := get(ctx, pc, bucket, "a/b"); err != nil {
		t.Fatalf("get after the proxy came back: %v", err)
	}

	// Stopped and restarted: the same contents.
	s.Stop(t)
	short, cancel = context.WithTimeout(ctx, 5*time.Second)
	if _, err := get(short, c, bucket, "a/b"); err == nil {
		t.Fatal("get from a stopped server succeeded")
	}
	cancel()
	s.Restart(t)
	if got, err := get(ctx, c, bucket, "a/b"); err != nil || string(got) != "hello" {
		t.Fatalf("get after restart = %q, %v", got, err)
	}
}
