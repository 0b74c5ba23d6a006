package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/mail/mailpittest"
	"pinhole/studio"
)

// runMail runs the website's mail loop until the test ends.
func (f *fixture) runMail(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.h.SendMail(ctx, 50*time.Millisecond); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// TestMail_SelectionNotice: a sent selection brings the photographer a
// notice through a real mail server, and the visitor's request does not
// wait on it: with the mail server away, the send answers at once, the
// failure shows in the gallery's activity, and the notice goes out on a
// later try once the server is back.
func TestMail_SelectionNotice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	mp := mailpittest.Start(t, false)
	// First the mail server is away: a port nobody listens on.
	away := "smtp://" + testio.FreeAddr(t)
	for k, v := range map[string]string{db.SettingSMTPURL: away, db.SettingNotifyEmail: "lena@example.com", db.SettingMailFrom: "studio@example.com"} {
		if err := f.store.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	f.runMail(t)
	c := f.client()
	f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"on": {"1"}, "name": {"Anna"}}, nil)
	start := time.Now()
	if resp, _ := f.do(c, "POST", "/g/"+g.Slug+"/send", nil, nil); resp.StatusCode != 303 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("sending a selection took %s with the mail server away", d)
	}
	var fail []db.Event
	for deadline := time.Now().Add(10 * time.Second); len(fail) == 0; {
		fail, _ = f.store.Events(ctx, db.EventFilter{GalleryID: g.ID, Kind: db.EventMailFail})
		if time.Now().After(deadline) {
			t.Fatal("no failed send in the activity")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := fail[0].Who() + " " + studio.Describe(fail[0]); !strings.Contains(got, "E-mail to lena@example.com could not be sent (selection notice: ") ||
		!strings.Contains(got, "next try in 1m0s") {
		t.Errorf("activity says %q", got)
	}
	// The server is back: the next try, a minute on, delivers it.
	if err := f.store.SetSetting(ctx, db.SettingSMTPURL, mp.URL()); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(time.Minute)
	msgs := mp.Wait(t, 1)
	if msgs[0].To[0] != "lena@example.com" || msgs[0].From != "studio@example.com" || msgs[0].Subject != "Anna sent a selection: Smith wedding" ||
		!strings.Contains(msgs[0].Text, "Anna sent a selection of 1 photo in \"Smith wedding\"") || !strings.Contains(msgs[0].Text, "pinhole favourites "+g.Slug) {
		t.Errorf("notice %+v", msgs[0])
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d messages, want the notice once", n)
	}
}

// TestMail_Digest: the photographer gets at most one digest a day per
// gallery, only for a gallery that was visited, with its numbers.
func TestMail_Digest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	seen := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.Public)})
	f.gallery("Quiet gallery", db.GalleryInput{Access: new(db.Public)})
	mp := mailpittest.Start(t, true)
	for k, v := range map[string]string{db.SettingSMTPURL: mp.URL(), db.SettingNotifyEmail: "lena@example.com"} {
		if err := f.store.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	add := func(kind string, n int) {
		for range n {
			if err := f.store.AddEvent(ctx, db.Event{GalleryID: seen.ID, Kind: kind}); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(db.EventView, 3)
	add(db.EventDownload, 2)
	add(db.EventZIP, 1)
	digests := func() int {
		t.Helper()
		n, err := studio.QueueDigests(ctx, f.store, f.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, failed, err := studio.Deliver(ctx, f.store); err != nil || failed > 0 {
			t.Fatalf("deliver: %d failed, %v", failed, err)
		}
		return n
	}
	if n := digests(); n != 1 {
		t.Fatalf("%d digests, want 1 (the quiet gallery has none)", n)
	}
	msgs := mp.Wait(t, 1)
	if msgs[0].Subject != "Smith wedding: 3 visits, 3 downloads" || msgs[0].From != "lena@example.com" || !strings.Contains(msgs[0].Text, "opened     3") {
		t.Errorf("digest %+v", msgs[0])
	}
	// More visits the same day: no second digest until a day has passed.
	f.clock.Add(23 * time.Hour)
	add(db.EventView, 1)
	if n := digests(); n != 0 {
		t.Errorf("a second digest within a day")
	}
	f.clock.Add(time.Hour)
	if n := digests(); n != 1 {
		t.Errorf("%d digests a day later, want 1", n)
	}
	msgs = mp.Wait(t, 2)
	if msgs[0].Subject != "Smith wedding: 1 visit, 0 downloads" {
		t.Errorf("second digest counts since the first: %q", msgs[0].Subject)
	}
	// Nothing new: nothing sent.
	f.clock.Add(25 * time.Hour)
	if n := digests(); n != 0 {
		t.Errorf("a digest of nothing")
	}
}

// TestHandler_Upkeep: the chores run together until the context ends,
// and then all stop, without error.
func TestHandler_Upkeep(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.h.Upkeep(ctx) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("upkeep: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("upkeep did not stop with its context")
	}
}
