package replica_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pinhole/internal/s3test"
	"pinhole/media/bucket"
	"pinhole/replica"
)

// Against a real S3 server (versitygw), reached the AWS way: the endpoint,
// region and keys in the environment, path-style. The replica goes
// through a proxy that is then cut: commits made meanwhile show as behind,
// and reach the bucket once it is back.
func TestReplicate_S3(t *testing.T) {
	srv := s3test.Start(t)
	proxy := srv.NewProxy(t)
	srv.Setenv(t, proxy.Endpoint)
	t.Setenv("AWS_CA_BUNDLE", "") // Litestream's S3 client refuses one
	bucket := srv.Bucket(t)
	tg, err := replica.Parse(s3test.URL(bucket, "studio/db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	if err := replica.CheckFresh(ctx, tg, path, quiet); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path)
	defer s.Close()
	r := start(t, tg, path)
	defer r.Close(ctx)
	addGalleries(t, s, "Wedding", 10, 200)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	first := read(t, s)
	if got := mustRestore(t, tg); !reflect.DeepEqual(got, first) {
		t.Fatalf("restored %v\nwant %v", got.Galleries, first.Galleries)
	}
	// A point in time: S3 gives objects' times to the second, so Litestream
	// keeps its own in their metadata.
	time.Sleep(1100 * time.Millisecond)
	at := time.Now()
	time.Sleep(1100 * time.Millisecond)
	addGalleries(t, s, "Later", 2, 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := restore(t, tg, replica.RestoreOptions{Timestamp: at}); !reflect.DeepEqual(got, first) {
		t.Fatalf("restored at %s: %d galleries, want %d", at, len(got.Galleries), len(first.Galleries))
	}
	if err := replica.CheckFresh(ctx, tg, filepath.Join(t.TempDir(), "pinhole.db"), quiet); err == nil {
		t.Error("a fresh folder may start over a bucket that holds a database")
	}

	// The bucket becomes unreachable: the commits wait here.
	proxy.SetDown(true)
	addGalleries(t, s, "Offline", 3, 10)
	var st replica.Status
	for deadline := time.Now().Add(10 * time.Second); ; {
		time.Sleep(500 * time.Millisecond)
		proxy.SetDown(false) // status needs the bucket
		st, err = replica.ReadStatus(ctx, tg, path, quiet)
		proxy.SetDown(true)
		if err != nil {
			t.Fatal(err)
		}
		if st.Behind > 0 || time.Now().After(deadline) {
			break
		}
	}
	if st.Behind < 1 || st.BehindSince.IsZero() || st.LocalTXID <= st.LatestTXID {
		proxy.SetDown(false)
		t.Fatalf("with the bucket unreachable: %+v, want behind", st)
	}
	t.Logf("behind while unreachable: %+v", st)

	// Back: Litestream retries (with a growing pause) and catches up.
	proxy.SetDown(false)
	want := read(t, s)
	waitInStep(t, tg, path)
	if got := mustRestore(t, tg); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the outage: restored %d galleries, want %d", len(got.Galleries), len(want.Galleries))
	}
}

// waitInStep waits until the replica has all that Litestream saw here,
// 30 s at most after the bucket came back.
func waitInStep(t *testing.T, tg *replica.Target, path string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		st, err := replica.ReadStatus(context.Background(), tg, path, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if st.Replicated && st.Behind == 0 && st.LatestTXID != "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the bucket came back: %+v", st)
		}
	}
}

// A bucket out of reach when Pinhole starts does not stop it: the
// replicator starts within its timeout, and the commits made meanwhile
// reach the bucket once it is back.
func TestReplicate_StartsWhileTheBucketIsDown(t *testing.T) {
	srv := s3test.Start(t)
	proxy := srv.NewProxy(t)
	srv.Setenv(t, proxy.Endpoint)
	t.Setenv("AWS_CA_BUNDLE", "")
	tg, err := replica.Parse(s3test.URL(srv.Bucket(t), "db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s := openStore(t, path)
	defer s.Close()
	addGalleries(t, s, "Before", 2, 10)
	proxy.SetDown(true)
	began := time.Now()
	r := start(t, tg, path)
	defer r.Close(ctx)
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("starting with the bucket down took %s", took)
	}
	addGalleries(t, s, "While down", 2, 10)
	proxy.SetDown(false)
	want := read(t, s)
	waitInStep(t, tg, path)
	if got := mustRestore(t, tg); !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %v\nwant %v", got.Galleries, want.Galleries)
	}
}

// A wrong key or a missing bucket is said in the words the photo storage
// uses, by backup status, restore and the check before serve, not as the
// SDK's request dump.
func TestReplica_S3RefusalsSaidPlainly(t *testing.T) {
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	t.Setenv("AWS_CA_BUNDLE", "")
	name := srv.Bucket(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		env  map[string]string
		url  string
		want string
	}{
		{"wrong secret", map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong"}, s3test.URL(name, "db"), "the bucket refused: the secret key does not match (AWS_SECRET_ACCESS_KEY)"},
		{"missing bucket", nil, s3test.URL("no-such-bucket", "db"), "the bucket refused: no such bucket"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tg, err := replica.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "pinhole.db")
			_, statusErr := replica.ReadStatus(ctx, tg, path, quiet)
			_, restoreErr := replica.Restore(ctx, tg, path, replica.RestoreOptions{}, quiet)
			freshErr := replica.CheckFresh(ctx, tg, path, quiet)
			for what, err := range map[string]error{"status": statusErr, "restore": restoreErr, "check": freshErr} {
				if !errors.Is(err, bucket.ErrRefused) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v, want it to say %q", what, err, tt.want)
				}
			}
		})
	}
}
