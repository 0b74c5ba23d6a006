package web

import (
	"context"
	"fmt"
	"net/http"
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

// TestMail_SelectionNoticeNamesTheList: when two visitors gave the same
// first name, the notice names the sender's list as the photographer's
// lists (pinhole favourites, the TUI) name it, "Anna (2)", in each gallery
// of the collection where they picked, with the command that finds it.
func TestMail_SelectionNoticeNamesTheList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	parent := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.Public)})
	set := f.gallery("Ceremony", db.GalleryInput{Parent: new(parent.Slug), Access: new(db.Inherit)})
	pp := f.photoRows(parent, 2)
	ps := f.photoRows(set, 3)
	mp := mailpittest.Start(t, false)
	for k, v := range map[string]string{db.SettingSMTPURL: mp.URL(), db.SettingNotifyEmail: "lena@example.com"} {
		if err := f.store.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	f.runMail(t)
	heart := func(c *http.Client, g db.Gallery, p db.Photo) {
		t.Helper()
		if resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"on": {"1"}, "name": {"Anna"}}, nil); resp.StatusCode != 303 {
			t.Fatalf("heart: %d", resp.StatusCode)
		}
	}
	// label is the sender's list in g as the photographer's lists name it.
	label := func(g db.Gallery, photos int) string {
		t.Helper()
		sels, err := studio.Selections(ctx, f.store, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sels {
			if !s.Sent.IsZero() && len(s.Photos) == photos {
				return s.Label
			}
		}
		t.Fatalf("%s: no sent list of %d photos in %+v", g.Title, photos, sels)
		return ""
	}

	// The first Anna picks in the set and sends nothing; the second picks
	// one photo in the parent (the first Anna there) and two in the set
	// (the second Anna there), and sends.
	first, second := f.client(), f.client()
	heart(first, set, ps[0])
	heart(second, parent, pp[1])
	heart(second, set, ps[1])
	heart(second, set, ps[2])
	if resp, _ := f.do(second, "POST", "/g/"+set.Slug+"/send", nil, nil); resp.StatusCode != 303 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	inParent, inSet := label(parent, 1), label(set, 2)
	if inParent != "Anna" || inSet != "Anna (2)" {
		t.Fatalf("the photographer's lists name the sender %q in the parent and %q in the set, want \"Anna\" and \"Anna (2)\"", inParent, inSet)
	}
	msg := mp.Wait(t, 1)[0]
	for _, want := range []string{
		"Anna sent a selection of 3 photos in \"Smith wedding\".",
		fmt.Sprintf("\"Smith wedding\": 1 photo, listed as %q", inParent),
		"pinhole favourites " + parent.Slug + " --by " + studio.ShellQuote(inParent) + " --lightroom",
		fmt.Sprintf("\"Ceremony\": 2 photos, listed as %q", inSet),
		"pinhole favourites " + set.Slug + " --by " + studio.ShellQuote(inSet) + " --lightroom",
	} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("the notice does not say %q:\n%s", want, msg.Text)
		}
	}

	// Only in the set, where the sender is the second Anna: the notice
	// calls them "Anna (2)" from its subject on.
	third := f.client()
	other := f.gallery("Portraits", db.GalleryInput{Access: new(db.Public)})
	po := f.photoRows(other, 2)
	heart(third, other, po[0])
	fourth := f.client()
	heart(fourth, other, po[1])
	if resp, _ := f.do(fourth, "POST", "/g/"+other.Slug+"/send", nil, nil); resp.StatusCode != 303 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	if got := label(other, 1); got != "Anna (2)" {
		t.Fatalf("the photographer's list is %q, want \"Anna (2)\"", got)
	}
	msg = mp.Wait(t, 2)[0]
	if msg.Subject != "Anna (2) sent a selection: Portraits" || !strings.Contains(msg.Text, "Anna (2) sent a selection of 1 photo in \"Portraits\".") ||
		!strings.Contains(msg.Text, fmt.Sprintf("pinhole favourites %s --by 'Anna (2)' --lightroom", other.Slug)) {
		t.Errorf("the notice does not name the list \"Anna (2)\": %q\n%s", msg.Subject, msg.Text)
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
