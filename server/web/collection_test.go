package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"pinhole/db"
)

// TestCollection_Zip: a gallery with sets offers the whole collection as
// one ZIP, a folder per set the visitor may open, with an exact
// Content-Length, resumable from any byte; and this gallery alone. Sets
// link to each other.
func TestCollection_Zip(t *testing.T) {
	f := newFixture(t)
	top := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("246810")})
	ceremony := f.gallery("Ceremony", db.GalleryInput{Parent: new(top.Slug)})
	party := f.gallery("Party", db.GalleryInput{Parent: new(top.Slug), Downloads: new(db.DownloadsWeb)})
	secret := f.gallery("Secret", db.GalleryInput{Parent: new(top.Slug), Access: new(db.PINAccess), PIN: new("1357")})
	var size int64
	for _, p := range testPhotos[:2] {
		size += f.addPhoto(top, p).Bytes
	}
	for _, p := range testPhotos[2:4] {
		size += f.addPhoto(ceremony, p).Bytes
	}
	f.addPhoto(party, testPhotos[4])
	f.addPhoto(secret, testPhotos[0])

	c := f.client()
	f.do(c, "POST", "/g/"+top.Slug+"/pin", url.Values{"pin": {"246810"}}, nil)
	_, page := f.get(c, "/g/"+top.Slug)
	for _, want := range []string{
		`href="/g/` + top.Slug + `/collection.zip" download>Whole collection (5 photos, ` + "",
		`Only “Smith wedding” (2 photos, `,
		`<nav class="sets" aria-label="Sets"><a href="/g/` + top.Slug + `" aria-current="page">Smith wedding</a><a href="/g/` + ceremony.Slug + `">Ceremony</a><a href="/g/` + party.Slug + `">Party</a><a href="/g/` + secret.Slug + `">Secret</a></nav>`,
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("parent's page lacks %s", want)
		}
	}
	if !bytes.Contains(page, []byte("Whole collection (5 photos, ")) || !bytes.Contains(page, []byte("&#43; web size)")) {
		t.Errorf("collection's label: %s", between(page, "Whole collection", "</a>"))
	}

	resp, whole := f.get(c, "/g/"+top.Slug+"/collection.zip")
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(whole)) || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("collection: %d, Content-Length %d for %d bytes", resp.StatusCode, resp.ContentLength, len(whole))
	}
	zr, err := zip.NewReader(bytes.NewReader(whole), int64(len(whole)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var originals int64
	for _, zf := range zr.File {
		names = append(names, zf.Name)
		if !strings.HasPrefix(zf.Name, "Party/") {
			originals += int64(zf.UncompressedSize64)
		}
	}
	sort.Strings(names)
	got := strings.Join(names, "|")
	if len(names) != 5 || strings.Count(got, "Ceremony/") != 2 || strings.Count(got, "Party/") != 1 || strings.Contains(got, "Secret") {
		t.Errorf("collection holds %v: want 2 photos at the top, 2 in Ceremony/, 1 in Party/, none of Secret (its own PIN)", names)
	}
	if originals != size {
		t.Errorf("originals in the ZIP: %d bytes, want %d", originals, size)
	}

	// Resumed from the middle of a photo, and from the central directory.
	etag := resp.Header.Get("Etag")
	for _, from := range []int{len(whole) / 3, len(whole) - 100} {
		resp, rest := f.do(c, "GET", "/g/"+top.Slug+"/collection.zip", nil, http.Header{"Range": {"bytes=" + strconv.Itoa(from) + "-"}, "If-Range": {etag}})
		if resp.StatusCode != 206 || !bytes.Equal(rest, whole[from:]) || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes %d-%d/%d", from, len(whole)-1, len(whole)) {
			t.Errorf("resume at %d: %d, %d bytes, Content-Range %q", from, resp.StatusCode, len(rest), resp.Header.Get("Content-Range"))
		}
	}
	resp, again := f.do(c, "GET", "/g/"+top.Slug+"/collection.zip", nil, http.Header{"Range": {"bytes=10-"}, "If-Range": {`"other"`}})
	if resp.StatusCode != 200 || !bytes.Equal(again, whole) {
		t.Errorf("resume of another archive: %d, want the whole ZIP", resp.StatusCode)
	}

	// A set's page: the same tabs with the set current, the whole
	// collection and the set alone.
	_, page = f.get(c, "/g/"+ceremony.Slug)
	for _, want := range []string{
		`<a href="/g/` + ceremony.Slug + `" aria-current="page">Ceremony</a>`,
		`href="/g/` + top.Slug + `/collection.zip" download>Whole collection (5 photos, `,
		`href="/g/` + ceremony.Slug + `/zip" download>Only “Ceremony” (2 photos, `,
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("set's page lacks %s", want)
		}
	}
	if resp, _ := f.get(c, "/g/"+ceremony.Slug+"/collection.zip"); resp.StatusCode != 404 {
		t.Errorf("collection of a set: %d, want 404 (it is its parent's)", resp.StatusCode)
	}
	// Without the PIN: the PIN form, never the photos.
	if resp, body := f.get(f.client(), "/g/"+top.Slug+"/collection.zip"); resp.StatusCode != 403 || !bytes.Contains(body, []byte(`value="/g/`+top.Slug+`/collection.zip"`)) {
		t.Errorf("collection without the PIN: %d", resp.StatusCode)
	}
}

// TestCollection_DownloadPIN: with a download PIN the offer shows before the
// PIN, leads to the PIN form, and the PIN leads back to start the ZIP.
func TestCollection_DownloadPIN(t *testing.T) {
	f := newFixture(t)
	top := f.gallery("Garden party", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("482915")})
	set := f.gallery("Speeches", db.GalleryInput{Parent: new(top.Slug)})
	f.addPhoto(top, testPhotos[0])
	f.addPhoto(set, testPhotos[1])
	c := f.client()
	_, page := f.get(c, "/g/"+top.Slug)
	if !bytes.Contains(page, []byte(`href="/g/`+top.Slug+`/collection.zip">Whole collection (2 photos, `)) {
		t.Errorf("offer before the PIN (no download attribute): %s", between(page, "download-menu", "</details>"))
	}
	if resp, _ := f.get(c, "/g/"+top.Slug+"/collection.zip"); resp.StatusCode != 403 {
		t.Errorf("collection before the PIN: %d", resp.StatusCode)
	}
	resp, _ := f.do(c, "POST", "/g/"+top.Slug+"/pin", url.Values{"pin": {"482915"}, "next": {"/g/" + top.Slug + "/collection.zip"}}, nil)
	if loc := resp.Header.Get("Location"); loc != "/g/"+top.Slug+"?dl=collection.zip" {
		t.Fatalf("after the PIN: %q", loc)
	}
	if _, page := f.get(c, "/g/"+top.Slug+"?dl=collection.zip"); !bytes.Contains(page, []byte(`url=/g/`+top.Slug+`/collection.zip">`)) {
		t.Error("landing does not start the collection's ZIP")
	}
	if names := f.zipNames(c, "/g/"+top.Slug+"/collection.zip"); len(names) != 2 || !strings.HasPrefix(names[1], "Speeches/") {
		t.Errorf("collection after the PIN: %v", names)
	}
}

// between is the part of b from the first from to the next to, for messages.
func between(b []byte, from, to string) string {
	s := string(b)
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

// TestCollection_SetWithItsOwnPIN: a visitor who typed a set's own PIN is
// offered the whole collection with that set in it, from the set's page,
// and the ZIP holds what the offer counted.
func TestCollection_SetWithItsOwnPIN(t *testing.T) {
	f := newFixture(t)
	top := f.gallery("Open day", db.GalleryInput{Access: new(db.Public)})
	secret := f.gallery("Backstage", db.GalleryInput{Parent: new(top.Slug), Access: new(db.PINAccess), PIN: new("1357")})
	f.addPhoto(top, testPhotos[0])
	f.addPhoto(secret, testPhotos[1])
	f.addPhoto(secret, testPhotos[2])

	c := f.client()
	if resp, _ := f.do(c, "POST", "/g/"+secret.Slug+"/pin", url.Values{"pin": {"1357"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("the set's PIN: %d", resp.StatusCode)
	}
	_, page := f.get(c, "/g/"+secret.Slug)
	if !bytes.Contains(page, []byte(`/collection.zip" download>Whole collection (3 photos, `)) {
		t.Fatalf("the set's page offers: %s", between(page, "Whole collection", "</a>"))
	}
	names := f.zipNames(c, "/g/"+top.Slug+"/collection.zip")
	if len(names) != 3 || strings.Count(strings.Join(names, "|"), "Backstage/") != 2 {
		t.Errorf("the whole collection holds %v: want the top's photo and the set's two in Backstage/", names)
	}
	// The top's page shows the set's cover once the set's PIN is typed.
	cover := `<a class="card" href="/g/` + secret.Slug + `"><img src="/g/` + secret.Slug + `/`
	if _, page := f.get(c, "/g/"+top.Slug); !bytes.Contains(page, []byte(cover)) {
		t.Errorf("the top's page shows no cover of the set opened with its PIN: %s", between(page, `href="/g/`+secret.Slug+`"`, "</a>"))
	}
	// Without the set's PIN: the collection is the top's photo alone, the
	// set's card has no cover.
	anon := f.client()
	if names := f.zipNames(anon, "/g/"+top.Slug+"/collection.zip"); len(names) != 1 {
		t.Errorf("without the set's PIN the collection holds %v", names)
	}
	if _, page := f.get(anon, "/g/"+top.Slug); bytes.Contains(page, []byte(cover)) || !bytes.Contains(page, []byte(`href="/g/`+secret.Slug+`"`)) {
		t.Errorf("without the set's PIN its card: %s", between(page, `href="/g/`+secret.Slug+`"`, "</a>"))
	}
}

// TestCollection_OffersWhatItServes: the whole collection's offer counts
// what its ZIP holds and leads where the route does. A set behind a
// download PIN of its own is not in it until its PIN is typed on its page
// (the collection's route asks only for the top's); a set's visitor who
// does not hold the top's PIN is led to the PIN form, not handed it as a
// download.
func TestCollection_OffersWhatItServes(t *testing.T) {
	f := newFixture(t)
	// A public top with a set behind its own download PIN.
	top := f.gallery("Open day", db.GalleryInput{Access: new(db.Public)})
	own := f.gallery("Portraits", db.GalleryInput{Parent: new(top.Slug), Access: new(db.DownloadPIN), PIN: new("1357")})
	f.addPhoto(top, testPhotos[0])
	f.addPhoto(own, testPhotos[1])
	c := f.client()
	_, page := f.get(c, "/g/"+own.Slug)
	if offer := between(page, "Whole collection", "</a>"); offer != "" && !strings.HasPrefix(offer, "Whole collection (1 photo, ") {
		t.Errorf("before the set's PIN the offer counts it: %s", offer)
	}
	if names := f.zipNames(c, "/g/"+top.Slug+"/collection.zip"); len(names) != 1 {
		t.Errorf("before the set's PIN the collection holds %v", names)
	}
	f.do(c, "POST", "/g/"+own.Slug+"/pin", url.Values{"pin": {"1357"}}, nil)
	_, page = f.get(c, "/g/"+own.Slug)
	if !bytes.Contains(page, []byte(`/collection.zip" download>Whole collection (2 photos, `)) {
		t.Errorf("after the set's PIN: %s", between(page, "Whole collection", "</a>"))
	}
	if names := f.zipNames(c, "/g/"+top.Slug+"/collection.zip"); len(names) != 2 {
		t.Errorf("after the set's PIN the collection holds %v", names)
	}

	// A PIN top; its PIN typed on a set that does not lead up to it.
	pinTop := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("2468")})
	set := f.gallery("Dinner", db.GalleryInput{Parent: new(pinTop.Slug)})
	f.addPhoto(pinTop, testPhotos[2])
	f.addPhoto(set, testPhotos[3])
	c = f.client()
	f.do(c, "POST", "/g/"+set.Slug+"/pin", url.Values{"pin": {"2468"}}, nil)
	_, page = f.get(c, "/g/"+set.Slug)
	link := `<a href="/g/` + pinTop.Slug + `/collection.zip">Whole collection`
	if !bytes.Contains(page, []byte(link)) {
		t.Errorf("the set's page offers the collection as %s, want a link to its PIN form (no download attribute)", between(page, `<a href="/g/`+pinTop.Slug+`/collection.zip"`, "</a>"))
	}
	resp, body := f.get(c, "/g/"+pinTop.Slug+"/collection.zip")
	if resp.StatusCode != 403 || !bytes.Contains(body, []byte(`id="pin"`)) {
		t.Fatalf("the collection without the top's session: %d", resp.StatusCode)
	}
	f.do(c, "POST", "/g/"+pinTop.Slug+"/pin", url.Values{"pin": {"2468"}, "next": {"/g/" + pinTop.Slug + "/collection.zip"}}, nil)
	if names := f.zipNames(c, "/g/"+pinTop.Slug+"/collection.zip"); len(names) != 2 {
		t.Errorf("after the top's PIN the collection holds %v", names)
	}
}

// TestCollection_OnlySetsDownload: a download-PIN top whose own downloads
// are off, with a set that downloads: the collection's offer leads to the
// PIN form, and the PIN to the set's photos.
func TestCollection_OnlySetsDownload(t *testing.T) {
	f := newFixture(t)
	top := f.gallery("Proofs", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("482915"), Downloads: new(db.DownloadsOff)})
	set := f.gallery("Finals", db.GalleryInput{Parent: new(top.Slug)})
	f.addPhoto(top, testPhotos[0])
	f.addPhoto(set, testPhotos[1])
	c := f.client()
	_, page := f.get(c, "/g/"+top.Slug)
	if !bytes.Contains(page, []byte(`<a href="/g/`+top.Slug+`/collection.zip">Whole collection (1 photo, `)) {
		t.Fatalf("the top's offer: %s", between(page, "download-menu", "</details>"))
	}
	resp, body := f.get(c, "/g/"+top.Slug+"/collection.zip")
	if resp.StatusCode != 403 || !bytes.Contains(body, []byte(`id="pin"`)) {
		t.Fatalf("the collection before the PIN: %d, want the PIN form:\n%s", resp.StatusCode, body)
	}
	resp, _ = f.do(c, "POST", "/g/"+top.Slug+"/pin", url.Values{"pin": {"482915"}, "next": {"/g/" + top.Slug + "/collection.zip"}}, nil)
	if _, page := f.get(c, resp.Header.Get("Location")); !bytes.Contains(page, []byte(`url=/g/`+top.Slug+`/collection.zip">`)) {
		t.Errorf("the PIN leads to %q, which does not start the collection's ZIP", resp.Header.Get("Location"))
	}
	if names := f.zipNames(c, "/g/"+top.Slug+"/collection.zip"); len(names) != 1 || !strings.HasPrefix(names[0], "Finals/") {
		t.Errorf("after the PIN the collection holds %v", names)
	}
}
