package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/internal/s3test"
	"pinhole/media"
	"pinhole/media/bucket"
)

// bucketFixture is the website with its photos in a bucket of a real S3
// server, reached through a proxy the test can slow down or cut, with the
// local cache of renditions in front as serve has it.
type bucketFixture struct {
	*fixture
	s3     *s3test.Server
	proxy  *s3test.Proxy
	bucket *bucket.Store
	g      db.Gallery
	photos []db.Photo
	c      *http.Client // a visitor with the gallery's PIN session
}

func newBucketFixture(t *testing.T, redirect bool) *bucketFixture {
	t.Helper()
	srv := s3test.Start(t)
	srv.Setenv(t, srv.Endpoint)
	return openBucketFixture(t, srv, srv.Bucket(t), redirect)
}

// openBucketFixture is the website on a bucket of srv, with the AWS
// environment set but for the endpoint, the proxy's.
func openBucketFixture(t *testing.T, srv *s3test.Server, name string, redirect bool) *bucketFixture {
	t.Helper()
	proxy := srv.NewProxy(t)
	t.Setenv("AWS_ENDPOINT_URL", proxy.Endpoint)
	b, err := bucket.Open(context.Background(), s3test.URL(name, "studio"))
	if err != nil {
		t.Fatal(err)
	}
	cache, err := media.NewCache(b, t.TempDir(), 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	bf := &bucketFixture{s3: srv, proxy: proxy, bucket: b}
	bf.fixture = newFixture(t, func(c *Config) {
		c.Library = media.New(cache)
		if redirect {
			c.Presign = b
		}
	})
	bf.g = bf.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("482913")})
	for _, p := range testPhotos {
		bf.photos = append(bf.photos, bf.addPhoto(bf.g, p))
	}
	bf.c = bf.withCookie(fmt.Sprintf("pinhole_g%d", bf.g.ID), bf.session(db.Session{GalleryID: bf.g.ID, PINVersion: bf.g.PINVersion}))
	return bf
}

// object reads a photo file straight from the bucket.
func (bf *bucketFixture) object(key string) []byte {
	bf.t.Helper()
	o, err := bf.bucket.Open(context.Background(), key)
	if err != nil {
		bf.t.Fatal(err)
	}
	defer o.Close()
	b, err := io.ReadAll(o)
	if err != nil {
		bf.t.Fatal(err)
	}
	return b
}

// checkZip reads a ZIP of the gallery's originals: every photo's, each
// the bucket's bytes (its CRC checked).
func (bf *bucketFixture) checkZip(what string, body []byte) {
	bf.t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		bf.t.Fatalf("%s: %v", what, err)
	}
	if len(zr.File) != len(bf.photos) {
		bf.t.Fatalf("%s holds %d files, want %d", what, len(zr.File), len(bf.photos))
	}
	byName := map[string]db.Photo{}
	for _, p := range bf.photos {
		byName[p.Filename] = p
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			bf.t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC
		rc.Close()
		if p, ok := byName[zf.Name]; err != nil || !ok || !bytes.Equal(got, bf.object(media.OriginalKey(p.SHA256))) {
			bf.t.Errorf("%s: entry %s: %v, not its photo's original", what, zf.Name, err)
		}
	}
}

func (bf *bucketFixture) path(what string, p db.Photo) string {
	return fmt.Sprintf("/g/%s/%s/%d", bf.g.Slug, what, p.ID)
}

// Every file the website serves comes from the bucket, byte for byte,
// with Range and conditional requests, and ZIPs whole and resumed.
func TestBucket_Serves(t *testing.T) {
	bf := newBucketFixture(t, false)
	for _, p := range bf.photos {
		for _, r := range media.Renditions() {
			resp, body := bf.get(bf.c, bf.path(r.Code, p))
			if resp.StatusCode != 200 || !bytes.Equal(body, bf.object(media.RenditionKey(r, p.SHA256))) {
				t.Fatalf("%s of %s: %d, %d bytes, not the bucket's", r.Name, p.Filename, resp.StatusCode, len(body))
			}
			etag := resp.Header.Get("ETag")
			resp, _ = bf.do(bf.c, "GET", bf.path(r.Code, p), nil, http.Header{"If-None-Match": {etag}})
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("%s with its ETag: %d, want 304", r.Name, resp.StatusCode)
			}
		}
		orig := bf.object(media.OriginalKey(p.SHA256))
		resp, body := bf.get(bf.c, bf.path("d", p))
		if resp.StatusCode != 200 || !bytes.Equal(body, orig) {
			t.Fatalf("download of %s: %d, %d bytes, not the original", p.Filename, resp.StatusCode, len(body))
		}
		resp, body = bf.do(bf.c, "GET", bf.path("d", p), nil, http.Header{"Range": {"bytes=100-1099"}})
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, orig[100:1100]) {
			t.Errorf("ranged download: %d, %d bytes", resp.StatusCode, len(body))
		}
		resp, body = bf.do(bf.c, "GET", bf.path("d", p), nil, http.Header{"Range": {fmt.Sprintf("bytes=%d-", len(orig)-10)}})
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, orig[len(orig)-10:]) {
			t.Errorf("download of the last bytes: %d, %d bytes", resp.StatusCode, len(body))
		}
	}
	// The ZIP: its length announced and kept, every entry the original.
	resp, body := bf.get(bf.c, "/g/"+bf.g.Slug+"/zip")
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(body)) {
		t.Fatalf("zip: %d, Content-Length %d, %d bytes", resp.StatusCode, resp.ContentLength, len(body))
	}
	bf.checkZip("zip", body)
	// Resumed from the middle: the rest, the same bytes.
	from := len(body) / 3
	resp, rest := bf.do(bf.c, "GET", "/g/"+bf.g.Slug+"/zip", nil, http.Header{"Range": {fmt.Sprintf("bytes=%d-", from)}, "If-Range": {resp.Header.Get("ETag")}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(rest, body[from:]) {
		t.Errorf("resumed zip: %d, %d bytes, want the last %d of the whole", resp.StatusCode, len(rest), len(body)-from)
	}
}

// With --storage-redirect a single download answers, after the access
// check, with a presigned URL of at most five minutes that serves the
// file as an attachment; renditions and ZIPs still stream.
func TestBucket_Redirect(t *testing.T) {
	bf := newBucketFixture(t, true)
	p := bf.photos[0]
	resp, _ := bf.get(bf.c, bf.path("d", p))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("download with --storage-redirect: %d, want 302", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), bf.proxy.Endpoint+"/") {
		t.Fatalf("redirect to %q, want the bucket's endpoint", resp.Header.Get("Location"))
	}
	if exp, err := strconv.Atoi(loc.Query().Get("X-Amz-Expires")); err != nil || exp > 300 {
		t.Errorf("presigned for %q s, want at most 300", loc.Query().Get("X-Amz-Expires"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("redirect Cache-Control %q: a presigned URL must not be cached", cc)
	}
	got, err := http.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != 200 || !bytes.Equal(body, bf.object(media.OriginalKey(p.SHA256))) {
		t.Fatalf("presigned URL: %s, %d bytes", got.Status, len(body))
	}
	if cd := got.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, p.Filename) {
		t.Errorf("presigned download's Content-Disposition %q", cd)
	}
	// No session: the PIN form, no URL.
	resp, _ = bf.get(bf.client(), bf.path("d", p))
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Location") != "" {
		t.Errorf("download without the PIN: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Thumbnails stream.
	if resp, _ := bf.get(bf.c, bf.path(media.Renditions()[len(media.Renditions())-1].Code, p)); resp.StatusCode != 200 {
		t.Errorf("thumbnail with --storage-redirect: %d, want 200", resp.StatusCode)
	}
}

// The bucket out of reach, slow or back: pages and the renditions the
// cache holds are still served; what needs the bucket is a clean 503 that
// says to retry; a ZIP cut mid-way never ends as if it were whole; and
// when the bucket returns, everything works again by itself.
func TestBucket_Faults(t *testing.T) {
	bf := newBucketFixture(t, false)
	thumb, _ := media.RenditionNamed(media.Thumbnail)
	preview, _ := media.RenditionNamed(media.Preview)
	p := bf.photos[0]
	if resp, _ := bf.get(bf.c, bf.path(thumb.Code, p)); resp.StatusCode != 200 {
		t.Fatalf("thumbnail: %d", resp.StatusCode)
	}

	bf.proxy.SetDown(true)
	if resp, _ := bf.get(bf.c, "/g/"+bf.g.Slug); resp.StatusCode != 200 {
		t.Errorf("gallery page with the bucket down: %d, want 200", resp.StatusCode)
	}
	if resp, _ := bf.get(bf.c, bf.path(thumb.Code, p)); resp.StatusCode != 200 {
		t.Errorf("cached thumbnail with the bucket down: %d, want 200", resp.StatusCode)
	}
	for _, path := range []string{bf.path(preview.Code, p), bf.path("d", p), "/g/" + bf.g.Slug + "/zip"} {
		resp, body := bf.get(bf.c, path)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !bytes.Contains(body, []byte("try again")) {
			t.Errorf("%s with the bucket down: %d, Retry-After %q; want 503 asking to try again", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}

	bf.proxy.SetDown(false)
	for _, path := range []string{bf.path(preview.Code, p), bf.path("d", p), "/g/" + bf.g.Slug + "/zip"} {
		if resp, _ := bf.get(bf.c, path); resp.StatusCode != 200 {
			t.Errorf("%s once the bucket is back: %d, want 200", path, resp.StatusCode)
		}
	}

	// Slow: photos come slowly, pages do not wait for them.
	bf.proxy.SetDelay(20 * time.Millisecond)
	if resp, body := bf.get(bf.c, bf.path(preview.Code, bf.photos[1])); resp.StatusCode != 200 || !bytes.Equal(body, bf.object(media.RenditionKey(preview, bf.photos[1].SHA256))) {
		t.Errorf("preview from a slow bucket: %d", resp.StatusCode)
	}
	start := time.Now()
	if resp, _ := bf.get(bf.c, "/g/"+bf.g.Slug); resp.StatusCode != 200 || time.Since(start) > 5*time.Second {
		t.Errorf("gallery page with a slow bucket: %d in %v", resp.StatusCode, time.Since(start))
	}

	// Cut mid-ZIP: the client gets fewer bytes than announced, an error,
	// never a ZIP that looks whole.
	bf.proxy.SetDelay(200 * time.Millisecond) // the rest takes seconds: the cut comes mid-way
	req, _ := http.NewRequest("GET", bf.srv.URL+"/g/"+bf.g.Slug+"/zip", nil)
	resp, err := bf.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("zip: %d", resp.StatusCode)
	}
	first := make([]byte, 64<<10)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	bf.proxy.SetDown(true)
	rest, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || int64(len(first)+len(rest)) >= resp.ContentLength {
		t.Errorf("zip cut mid-way: read %d of %d bytes, error %v; want an error before the end", len(first)+len(rest), resp.ContentLength, err)
	}
	bf.proxy.SetDown(false)
	bf.proxy.SetDelay(0)
	if names := bf.zipNames(bf.c, "/g/"+bf.g.Slug+"/zip"); len(names) != len(bf.photos) {
		t.Errorf("zip after the cut: %d files", len(names))
	}
}

// Keys refused while the website runs (an account deleted, a key
// revoked): the same clean 503 as a bucket out of reach, pages and cached
// thumbnails still served, and everything back once the keys are.
func TestBucket_Refused(t *testing.T) {
	srv := s3test.Start(t)
	name, access, secret := srv.Owner(t)
	srv.Setenv(t, srv.Endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", access)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	bf := openBucketFixture(t, srv, name, false)
	thumb, _ := media.RenditionNamed(media.Thumbnail)
	preview, _ := media.RenditionNamed(media.Preview)
	p := bf.photos[0]
	if resp, _ := bf.get(bf.c, bf.path(thumb.Code, p)); resp.StatusCode != 200 {
		t.Fatalf("thumbnail: %d", resp.StatusCode)
	}
	srv.DeleteUser(t, access)
	if resp, _ := bf.get(bf.c, "/g/"+bf.g.Slug); resp.StatusCode != 200 {
		t.Errorf("gallery page with the keys refused: %d, want 200", resp.StatusCode)
	}
	if resp, _ := bf.get(bf.c, bf.path(thumb.Code, p)); resp.StatusCode != 200 {
		t.Errorf("cached thumbnail with the keys refused: %d, want 200", resp.StatusCode)
	}
	paths := []string{bf.path(preview.Code, p), bf.path("d", p), "/g/" + bf.g.Slug + "/zip"}
	for _, path := range paths {
		resp, body := bf.get(bf.c, path)
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !bytes.Contains(body, []byte("try again")) {
			t.Errorf("%s with the keys refused: %d, Retry-After %q; want 503 asking to try again", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	srv.AddUser(t, access, secret)
	for _, path := range paths {
		if resp, _ := bf.get(bf.c, path); resp.StatusCode != 200 {
			t.Errorf("%s once the keys are back: %d, want 200", path, resp.StatusCode)
		}
	}
}

// A ZIP of a bucket's photos whose CRCs are known (sent before) goes out
// with each object spliced from the bucket's connection into the
// visitor's: the same bytes as the first, every file the bucket's, and a
// cut mid-way still ends short, after which the next ZIP is whole.
func TestBucket_ZipSpliced(t *testing.T) {
	bf := newBucketFixture(t, false)
	path := "/g/" + bf.g.Slug + "/zip"
	_, first := bf.get(bf.c, path)
	if n := len(bf.h.crcs.m); n != len(bf.photos) {
		t.Fatalf("after the first ZIP %d CRCs known, want %d", n, len(bf.photos))
	}
	check := func(what string) {
		t.Helper()
		resp, body := bf.get(bf.c, path)
		if resp.StatusCode != 200 || int64(len(body)) != resp.ContentLength || !bytes.Equal(body, first) {
			t.Fatalf("%s: %d, %d bytes of %d, same as the first: %v", what, resp.StatusCode, len(body), resp.ContentLength, bytes.Equal(body, first))
		}
		bf.checkZip(what, body)
	}
	check("second ZIP")

	bf.proxy.SetDelay(200 * time.Millisecond)
	req, _ := http.NewRequest("GET", bf.srv.URL+path, nil)
	resp, err := bf.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	bf.proxy.SetDown(true)
	rest, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || int64(64<<10+len(rest)) >= resp.ContentLength {
		t.Errorf("spliced ZIP cut mid-way: read %d of %d bytes, error %v; want an error before the end", 64<<10+len(rest), resp.ContentLength, err)
	}
	bf.proxy.SetDown(false)
	bf.proxy.SetDelay(0)
	check("ZIP after the cut")
}

// A ZIP from a slow bucket (each chunk of an answer held back) takes less
// time than the same originals fetched one after the other: the next
// files' GETs are sent while one is streamed, so that their answers wait
// in the socket rather than each costing a round trip after the last.
func TestBucket_ZipOpensAhead(t *testing.T) {
	bf := newBucketFixture(t, false)
	path := "/g/" + bf.g.Slug + "/zip"
	bf.get(bf.c, path) // the CRCs known: the ZIP streams as served most
	ctx := context.Background()
	var urls []string
	for _, p := range bf.photos {
		u, err := bf.bucket.Presign(ctx, media.OriginalKey(p.SHA256), "", "", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	bf.proxy.SetDelay(250 * time.Millisecond)
	start := time.Now()
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	oneByOne := time.Since(start)
	start = time.Now()
	resp, body := bf.get(bf.c, path)
	took := time.Since(start)
	if resp.StatusCode != 200 || int64(len(body)) != resp.ContentLength {
		t.Fatalf("zip: %d, %d bytes of %d", resp.StatusCode, len(body), resp.ContentLength)
	}
	bf.checkZip("zip from a slow bucket", body)
	t.Logf("slow bucket: the ZIP in %v, its %d originals one by one in %v", took, len(urls), oneByOne)
	if took >= oneByOne {
		t.Errorf("the ZIP took %v, its originals one after the other %v: the next files not asked for ahead", took, oneByOne)
	}
}
