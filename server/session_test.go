package server

import (
	"context"
	"testing"
	"time"

	"pinhole/db"
)

// A visitor who never comes back (a link-preview bot, a crawler) leaves a
// session that is gone after a day; one who comes back keeps 30 days.
func TestSession_FirstVisitLastsADay(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: ptr(db.Public)})
	bot, guest := f.client(), f.client()
	f.get(bot, "/g/"+g.Slug)
	f.get(guest, "/g/"+g.Slug)
	f.clock.Add(2 * time.Minute)
	if resp, _ := f.get(guest, "/g/"+g.Slug); resp.StatusCode != 200 {
		t.Fatalf("second visit: %d", resp.StatusCode)
	}
	f.clock.Add(25 * time.Hour)
	n, err := f.store.DeleteExpiredSessions(context.Background())
	if err != nil || n != 1 {
		t.Errorf("after a day, %d sessions expired (%v), want the bot's alone", n, err)
	}
	f.clock.Add(28 * 24 * time.Hour)
	if n, _ := f.store.DeleteExpiredSessions(context.Background()); n != 0 {
		t.Errorf("the returning guest's session ended within 30 days")
	}
}
