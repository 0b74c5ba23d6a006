package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"pinhole/internal/s3test"
	"pinhole/internal/testio"
)

// bucketRun runs the pinhole binary on a data folder with the AWS
// environment of a real S3 server (through a proxy the test can cut).
type bucketRun struct {
	t     *testing.T
	data  string
	s3    *s3test.Server
	proxy *s3test.Proxy
	url   string // the storage: s3://BUCKET/studio
	dir   string // where versitygw keeps the bucket's objects
	env   []string
}

func newBucketRun(t *testing.T) *bucketRun {
	t.Helper()
	srv := s3test.Start(t)
	proxy := srv.NewProxy(t)
	name := srv.Bucket(t)
	b := &bucketRun{t: t, data: filepath.Join(t.TempDir(), "data"), s3: srv, proxy: proxy,
		url: s3test.URL(name, "studio"), dir: filepath.Join(srv.Dir, name, "studio")}
	b.env = append(os.Environ(), srv.Env(proxy.Endpoint)...)
	return b
}

func (b *bucketRun) run(env []string, args ...string) result {
	b.t.Helper()
	cmd := exec.Command(binary(b.t), append([]string{"--data", b.data}, args...)...)
	cmd.Env = append(append([]string{}, b.env...), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatal(err)
	}
	return r
}

func (b *bucketRun) ok(v any, args ...string) {
	b.t.Helper()
	r := b.run(nil, append(args, "--json")...)
	if r.code != 0 {
		b.t.Fatalf("pinhole %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
			b.t.Fatalf("pinhole %s: %v in %q", strings.Join(args, " "), err, r.stdout)
		}
	}
}

// objects counts the files versitygw holds under the prefix.
func (b *bucketRun) objects() int {
	n := 0
	filepath.WalkDir(b.dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// The command line on a bucket: given once, remembered; import, photo
// list, doctor and delete work on it as on the folder; another storage,
// bad keys or the bucket out of reach are refused plainly, and an import
// cut off by the bucket records no photo that is not whole in it.
func TestCLI_Bucket(t *testing.T) {
	b := newBucketRun(t)
	var g galleryJSON
	b.ok(&g, "--storage", b.url, "gallery", "create", "--title", "Bucket wedding")

	src := manyPhotos(t, 6)
	var sum struct{ Imported, Existing int }
	b.ok(&sum, "import", g.Slug, src) // no --storage: the database remembers it
	if sum.Imported != 6 {
		t.Fatalf("imported %+v, want 6", sum)
	}
	if n := b.objects(); n != 6*4 {
		t.Errorf("the bucket holds %d objects, want 6 originals and 3 renditions each", n)
	}
	if fis, _ := filepath.Glob(filepath.Join(b.data, "photos", "originals", "*", "*")); len(fis) > 0 {
		t.Errorf("originals written to the data folder: %v", fis)
	}
	var ps photoListing
	b.ok(&ps, "photo", "list", g.Slug)
	for _, p := range ps {
		if !strings.HasPrefix(p.Original, b.url+"/originals/") {
			t.Errorf("photo list names %q, want an object of %s", p.Original, b.url)
		}
	}
	if r := b.run(nil, "doctor"); r.code != 0 {
		t.Errorf("doctor on the bucket: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}

	// Another storage is refused, whichever way it is given.
	other := "file://" + filepath.Join(b.data, "photos")
	for _, tt := range []struct {
		env  []string
		args []string
	}{
		{nil, []string{"--storage", other, "gallery", "list"}},
		{[]string{"PINHOLE_STORAGE=" + s3test.URL(b.s3.Bucket(t), "x")}, []string{"photo", "list", g.Slug}},
	} {
		r := b.run(tt.env, tt.args...)
		if r.code != 1 || !strings.Contains(r.stderr, "they are in "+b.url) || !strings.Contains(r.stderr, "storage migrate") {
			t.Errorf("pinhole %v with %v: exit %d, %q; want a refusal saying where the photos are", tt.args, tt.env, r.code, r.stderr)
		}
	}
	// Wrong keys, said plainly.
	if r := b.run([]string{"AWS_SECRET_ACCESS_KEY=wrong"}, "photo", "list", g.Slug); r.code != 1 || !strings.Contains(r.stderr, "the secret key does not match") {
		t.Errorf("a wrong secret: exit %d, %q", r.code, r.stderr)
	}

	// The bucket out of reach during an import: it stops soon, says why,
	// and records no photo.
	more := manyPhotos(t, 40)
	for i := range 40 { // other bytes than the first six
		appendTo(t, filepath.Join(more, fmt.Sprintf("IMG_%04d.jpg", i)), "more")
	}
	done := make(chan result, 1)
	go func() { done <- b.run(nil, "import", g.Slug, more) }()
	for deadline := time.Now().Add(30 * time.Second); b.objects() < 6*4+8 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	b.proxy.SetDown(true)
	var r result
	select {
	case r = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("import did not stop with the bucket out of reach")
	}
	if r.code != 1 || !strings.Contains(r.stderr, "cannot be reached") {
		t.Errorf("import with the bucket cut: exit %d, %q; want it to say the bucket cannot be reached", r.code, r.stderr)
	}
	b.proxy.SetDown(false)
	b.ok(&ps, "photo", "list", g.Slug)
	recorded := len(ps)
	// Every photo recorded has all its files; files stored for a photo
	// not recorded yet are at most unused (the next run takes them).
	r = b.run(nil, "doctor", "--json")
	var rep struct{ Problems []struct{ Kind, Path string } }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("doctor: %v in %q", err, r.stdout)
	}
	for _, p := range rep.Problems {
		if p.Kind != "unused" {
			t.Errorf("doctor after the cut import: %s %s: a photo recorded without its files", p.Kind, p.Path)
		}
	}
	b.ok(&sum, "import", g.Slug, more)
	if recorded+sum.Imported != 46 {
		t.Errorf("after the cut, %d photos recorded and %d imported on the second run; want 46 in all", recorded, sum.Imported)
	}

	// A slow bucket: the import is slower, and whole.
	b.proxy.SetDelay(20 * time.Millisecond)
	slow := manyPhotos(t, 2)
	for i := range 2 {
		appendTo(t, filepath.Join(slow, fmt.Sprintf("IMG_%04d.jpg", i)), "slow")
	}
	b.ok(&sum, "import", g.Slug, slow)
	b.proxy.SetDelay(0)
	if sum.Imported != 2 {
		t.Errorf("import from a slow bucket: %+v, want 2 imported", sum)
	}
	if r := b.run(nil, "doctor"); r.code != 0 {
		t.Errorf("doctor after the slow import: exit %d: %s%s", r.code, r.stdout, r.stderr)
	}

	// Deleting the gallery deletes its objects.
	if r := b.run(nil, "gallery", "delete", g.Slug, "--yes"); r.code != 0 {
		t.Fatalf("gallery delete: exit %d: %s", r.code, r.stderr)
	}
	if n := b.objects(); n != 0 {
		t.Errorf("after the gallery's deletion the bucket holds %d objects", n)
	}
}

// Over SSH with the photos in a bucket: scp and sftp uploads go to the
// bucket, and sftp downloads come from it.
func TestServe_SSHBucket(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "scp", "sftp", "ssh-keygen")
	b := newBucketRun(t)
	key, pub := keygen(t, t.TempDir(), "admin")
	if r := b.run(nil, "--storage", b.url, "admin", "add", "laptop", pub); r.code != 0 {
		t.Fatalf("admin add: exit %d: %s", r.code, r.stderr)
	}
	for _, kv := range b.s3.Env(b.proxy.Endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	s := serve(t, b.data)
	var g galleryJSON
	s.sshJSON(t, key, &g, "gallery", "create", "--title", "Uploads", "--json")
	src, good, _ := photoFiles(t)
	args := append(testio.SSHOptions(key), "-P", s.sshPort, filepath.Join(src, good[0]), filepath.Join(src, good[1]), "admin@127.0.0.1:"+g.Slug+"/")
	if r := runProg(t, "", "scp", args...); r.code != 0 {
		t.Fatalf("scp: exit %d: %s", r.code, r.stderr)
	}
	got := filepath.Join(t.TempDir(), "got.jpg")
	batch := filepath.Join(t.TempDir(), "batch")
	os.WriteFile(batch, []byte(fmt.Sprintf("cd %s\nlcd %s\nput %s\nget %s %s\n", g.Slug, src, good[2], good[0], got)), 0o644)
	if r := runProg(t, "", "sftp", append(testio.SSHOptions(key), "-P", s.sshPort, "-b", batch, "admin@127.0.0.1")...); r.code != 0 {
		t.Fatalf("sftp: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
	var ps photoListing
	s.sshJSON(t, key, &ps, "photo", "list", g.Slug, "--json")
	if len(ps) != 3 {
		t.Fatalf("%d photos after the uploads, want 3", len(ps))
	}
	for _, p := range ps {
		if !strings.HasPrefix(p.Original, b.url+"/") {
			t.Errorf("%s is at %s, not in the bucket", p.Filename, p.Original)
		}
	}
	if n := b.objects(); n != 3*4 {
		t.Errorf("the bucket holds %d objects, want 12", n)
	}
	want, _ := os.ReadFile(filepath.Join(src, good[0]))
	if b, err := os.ReadFile(got); err != nil || !bytes.Equal(b, want) {
		t.Errorf("sftp get from the bucket: the original differs (%v)", err)
	}
}

// doctor and storage migrate on a bucket: the photos moved from the data
// folder into the bucket and back, and doctor finding (and repairing) in
// the bucket what it finds in a folder.
func TestCLI_BucketDoctorMigrate(t *testing.T) {
	b := newBucketRun(t)
	var g galleryJSON
	b.ok(&g, "gallery", "create", "--title", "Moving house")
	var sum struct{ Imported int }
	src := manyPhotos(t, 5)
	b.ok(&sum, "import", g.Slug, src)

	// Folder → bucket.
	if r := b.run(nil, "storage", "migrate", "--to", b.url); r.code != 0 {
		t.Fatalf("storage migrate to the bucket: exit %d: %s", r.code, r.stderr)
	}
	if n := b.objects(); n != 5*4 {
		t.Fatalf("after the move the bucket holds %d objects, want 20", n)
	}
	var ps photoListing
	b.ok(&ps, "photo", "list", g.Slug)
	if !strings.HasPrefix(ps[0].Original, b.url+"/") {
		t.Fatalf("after the move the photos are at %s", ps[0].Original)
	}
	type report struct {
		Problems []struct{ Kind, Path string }
	}
	doctor := func(args ...string) (int, report) {
		t.Helper()
		r := b.run(nil, append([]string{"doctor", "--json"}, args...)...)
		var rep report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("doctor: %v in %q (%s)", err, r.stdout, r.stderr)
		}
		return r.code, rep
	}
	if code, rep := doctor("--hashes"); code != 0 || len(rep.Problems) != 0 {
		t.Fatalf("doctor after the move: exit %d, %+v", code, rep)
	}

	// Damage in the bucket: a rendition gone, an original cut short, an
	// object nobody uses.
	c := b.s3.Client(b.s3.Endpoint)
	bucketName, prefix, _ := strings.Cut(strings.TrimPrefix(b.url, "s3://"), "/")
	key := func(loc string) string { return strings.TrimPrefix(loc, "s3://"+bucketName+"/") }
	ctx := t.Context()
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucketName, Key: aws.String(key(ps[0].Thumbnail))}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucketName, Key: aws.String(key(ps[1].Original)), Body: strings.NewReader("cut short")}); err != nil {
		t.Fatal(err)
	}
	unused := prefix + "/originals/ab/" + strings.Repeat("ab", 32)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucketName, Key: aws.String(unused), Body: strings.NewReader("nobody's")}); err != nil {
		t.Fatal(err)
	}
	// Stray objects are removed once an hour old (an upload may be under
	// way): versitygw dates an object by its file.
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(filepath.Join(b.dir, "originals", "ab", strings.Repeat("ab", 32)), old, old); err != nil {
		t.Fatal(err)
	}
	code, rep := doctor()
	kinds := map[string]string{}
	for _, p := range rep.Problems {
		kinds[p.Kind] = p.Path
	}
	if code != 1 || kinds["missing-rendition"] != ps[0].Thumbnail || kinds["wrong-size"] != ps[1].Original || kinds["unused"] != "s3://"+bucketName+"/"+unused {
		t.Fatalf("doctor on the damaged bucket: exit %d, %+v", code, rep)
	}
	b.run(nil, "doctor", "--repair")
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &bucketName, Key: aws.String(key(ps[0].Thumbnail))}); err != nil {
		t.Errorf("doctor --repair did not remake the thumbnail in the bucket: %v", err)
	}
	// The cut original cannot be remade: it is still reported, nothing else.
	if code, rep := doctor(); code != 1 || len(rep.Problems) != 1 || rep.Problems[0].Kind != "wrong-size" {
		t.Errorf("doctor after --repair: exit %d, %+v; want only the cut original", code, rep)
	}
	// Put right, and bucket → folder.
	orig, err := os.ReadFile(filepath.Join(src, ps[1].Filename))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucketName, Key: aws.String(key(ps[1].Original)), Body: bytes.NewReader(orig)}); err != nil {
		t.Fatal(err)
	}
	if code, rep := doctor("--hashes"); code != 0 {
		t.Fatalf("doctor with the original put back: exit %d, %+v", code, rep)
	}
	back := "file://" + filepath.Join(b.data, "photos")
	if r := b.run(nil, "storage", "migrate", "--to", back); r.code != 0 {
		t.Fatalf("storage migrate back to the folder: exit %d: %s", r.code, r.stderr)
	}
	b.ok(&ps, "photo", "list", g.Slug)
	if !strings.HasPrefix(ps[0].Original, filepath.Join(b.data, "photos")) {
		t.Errorf("after the move back the photos are at %s", ps[0].Original)
	}
	if code, rep := doctor("--hashes"); code != 0 {
		t.Errorf("doctor after the move back: exit %d, %+v", code, rep)
	}
}

// serve started while the bucket is out of reach: it starts, says so,
// serves the pages, answers photos with 503 until the bucket is back, and
// then serves them without a restart.
func TestServe_BucketDownAtStart(t *testing.T) {
	b := newBucketRun(t)
	var g galleryJSON
	b.ok(&g, "--storage", b.url, "gallery", "create", "--title", "Open day", "--access", "public")
	b.ok(nil, "import", g.Slug, manyPhotos(t, 2))
	var ps []struct{ ID int64 }
	b.ok(&ps, "photo", "list", g.Slug)
	for _, kv := range b.s3.Env(b.proxy.Endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	b.proxy.SetDown(true)
	s := serve(t, b.data)
	site := waitOutput(t, s.out, regexp.MustCompile(`Pinhole website on (http://\S+)`))[1]
	waitOutput(t, s.out, regexp.MustCompile(`photo storage cannot be reached`))
	get := func(path string) int {
		t.Helper()
		resp, err := http.Get(site + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	thumb := fmt.Sprintf("/g/%s/t/%d", g.Slug, ps[0].ID)
	if code := get("/g/" + g.Slug); code != 200 {
		t.Errorf("gallery page with the bucket down since the start: %d", code)
	}
	if code := get(thumb); code != http.StatusServiceUnavailable {
		t.Errorf("thumbnail with the bucket down: %d, want 503", code)
	}
	b.proxy.SetDown(false)
	if code := get(thumb); code != 200 {
		t.Errorf("thumbnail once the bucket is back: %d, want 200", code)
	}
	// A command still refuses to start without its bucket.
	b.proxy.SetDown(true)
	if r := b.run(nil, "photo", "list", g.Slug); r.code != 1 || !strings.Contains(r.stderr, "cannot be reached") {
		t.Errorf("photo list with the bucket down: exit %d, %q", r.code, r.stderr)
	}
	b.proxy.SetDown(false)
}

// appendTo adds text at the end of the file at path, which must be there.
func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
