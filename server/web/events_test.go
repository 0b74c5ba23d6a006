package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

// TestEvents: opened once per session per day, PIN right and wrong with
// the address, a photo and a ZIP downloaded; in download-pin mode the PIN
// is asked at the first download and leads back to it.
func TestEvents(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.gallery("Family", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("8642")})
	p := f.addPhoto(g, testPhotos[0])
	c := f.client()
	f.get(c, "/g/"+g.Slug)
	f.get(c, "/g/"+g.Slug) // same session, same day: counted once
	resp, body := f.get(c, "/g/"+g.Slug+"/zip")
	if resp.StatusCode != 403 || !contains(body, `name="next" value="/g/`+g.Slug+`/zip"`) {
		t.Fatalf("download without PIN: %d, want the PIN form leading back", resp.StatusCode)
	}
	f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1111"}, "next": {"/g/" + g.Slug + "/zip"}}, nil)
	resp, _ = f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"8642"}, "next": {"/g/" + g.Slug + "/zip"}}, nil)
	// The gallery again, which starts the ZIP (a browser sent on to the
	// attachment would keep showing the PIN form).
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/g/"+g.Slug+"?dl=zip" {
		t.Fatalf("right PIN: %d to %q", resp.StatusCode, loc)
	}
	if resp, body := f.get(c, "/g/"+g.Slug+"?dl=zip"); resp.StatusCode != 200 || !contains(body, `<meta http-equiv="refresh" content="0; url=/g/`+g.Slug+`/zip">`) {
		t.Fatalf("landing after PIN: %d, starts the ZIP: %v", resp.StatusCode, contains(body, "refresh"))
	}
	if resp, _ := f.get(c, "/g/"+g.Slug+"/zip"); resp.StatusCode != 200 {
		t.Fatalf("zip after PIN: %d", resp.StatusCode)
	}
	if resp, _ := f.get(c, fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID)); resp.StatusCode != 200 {
		t.Fatalf("download after PIN: %d", resp.StatusCode)
	}
	f.get(c, "/g/"+g.Slug) // the new session (after the PIN) opened it on landing: not again
	f.clock.Add(24 * time.Hour)
	f.get(c, "/g/"+g.Slug) // next day
	// An open redirect is refused.
	resp, _ = f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"8642"}, "next": {"https://evil.example/"}}, nil)
	if loc := resp.Header.Get("Location"); loc != "/g/"+g.Slug {
		t.Fatalf("next to another site: Location %q", loc)
	}
	evs, err := f.store.Events(ctx, db.EventFilter{GalleryID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
		if e.Address != "127.0.0.1" {
			t.Errorf("%s: address %q", e.Kind, e.Address)
		}
	}
	// The first look, without a session, is counted but has no row
	// (issue 16); everything after the PIN is recorded.
	want := "[pin_fail pin_ok view zip download view pin_ok]"
	if fmt.Sprint(kinds) != want {
		t.Fatalf("events %v, want %s", kinds, want)
	}
	if evs[4].PhotoID != p.ID {
		t.Errorf("download event photo %d, want %d", evs[4].PhotoID, p.ID)
	}
	if err := f.h.FlushCounts(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := f.store.GalleryStats(ctx, g.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Opened != 3 || st.Downloads != 2 || st.PINFails != 1 {
		t.Errorf("stats %+v, want 3 opened, 2 downloads, 1 wrong PIN", st)
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
