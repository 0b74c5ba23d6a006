package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"pinhole/db"
)

// A visitor who only looks (a link-preview bot, a crawler) leaves no
// session at all (issue 16); one who picks a favourite gets a session that
// is gone after a day unless they come back or give a name, and then
// keeps 30 days.
func TestSession_FirstVisitLastsADay(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	bot, guest, picker := f.client(), f.client(), f.client()
	f.get(bot, "/g/"+g.Slug)
	f.get(guest, "/g/"+g.Slug)
	f.do(picker, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"on": {"1"}}, nil)
	f.do(guest, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"on": {"1"}, "name": {"Ben"}}, nil)
	f.clock.Add(2 * time.Minute)
	if resp, _ := f.get(guest, "/g/"+g.Slug); resp.StatusCode != 200 {
		t.Fatalf("second visit: %d", resp.StatusCode)
	}
	f.clock.Add(25 * time.Hour)
	n, err := f.store.DeleteExpiredSessions(context.Background())
	if err != nil || n != 1 {
		t.Errorf("after a day, %d sessions expired (%v), want the picker's alone", n, err)
	}
	f.clock.Add(28 * 24 * time.Hour)
	if n, _ := f.store.DeleteExpiredSessions(context.Background()); n != 0 {
		t.Errorf("the returning guest's session ended within 30 days")
	}
}
