package studio

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pinhole/db"
)

var eventWords = map[string]string{
	db.EventView: "opened", db.EventPINOK: "typed the right PIN", db.EventPINFail: "typed a wrong PIN",
	db.EventDownload: "downloaded", db.EventZIP: "downloaded a ZIP", db.EventFavourite: "favourited",
	db.EventUnfavorite: "unfavourited", db.EventSent: "sent their selection",
	db.EventMailSent: "was sent", db.EventMailFail: "could not be sent", db.EventLogin: "logged in", db.EventLoginFail: "typed a wrong access code",
}

// EventWords says what an event's kind means: "typed a wrong PIN".
func EventWords(kind string) string {
	if w, ok := eventWords[kind]; ok {
		return w
	}
	return kind
}

// Describe says what a visitor did, with the photo and detail:
// "downloaded IMG_4101.jpg", "downloaded a ZIP (favourites)".
func Describe(e db.Event) string {
	s := EventWords(e.Kind)
	if e.PhotoName != "" {
		s += " " + e.PhotoName
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Selection is one visitor's favourites list in a gallery, as the
// photographer sees it.
type Selection struct {
	Label   string    // the name, numbered where names repeat: "Anna (2)"
	Client  bool      // a client login's list, not a browser's
	Sent    time.Time // zero until the visitor sends it
	Changed bool      // changed after it was sent
	Photos  []string  // file names, in the gallery's order
}

// SentText says whether and when a selection was sent: "", "sent 30 Nov
// 14:02", "sent 30 Nov 14:02, changed since".
func (s Selection) SentText() string {
	if s.Sent.IsZero() {
		return ""
	}
	t := "sent " + s.Sent.Local().Format("2 Jan 15:04")
	if s.Changed {
		t += ", changed since"
	}
	return t
}

// Selections are a gallery's favourites, list by list in the order the
// lists were started. Two visitors may give the same first name: the
// second list is "Anna (2)", numbered over every list of the gallery so a
// label never moves to another list. Lists with nothing picked that were
// never sent are left out.
func Selections(ctx context.Context, s *db.Store, galleryID int64) ([]Selection, error) {
	lists, err := s.PickLists(ctx, galleryID)
	if err != nil {
		return nil, err
	}
	favs, err := s.Favourites(ctx, galleryID)
	if err != nil {
		return nil, err
	}
	photos := map[int64][]string{}
	for _, f := range favs {
		photos[f.ListID] = append(photos[f.ListID], f.Filename)
	}
	labels := listLabels(lists)
	var out []Selection
	for _, l := range lists {
		if len(photos[l.ID]) == 0 && l.SentAt.IsZero() {
			continue
		}
		out = append(out, Selection{Label: labels[l.ID], Client: l.ClientID != 0, Sent: l.SentAt, Changed: l.Changed(), Photos: photos[l.ID]})
	}
	return out, nil
}

// listLabels name a gallery's lists (all of them, in the order they were
// started) by list id: the name, numbered where names repeat ("Anna (2)").
func listLabels(lists []db.PickList) map[int64]string {
	used := map[string]bool{}
	out := make(map[int64]string, len(lists))
	for _, l := range lists {
		label := l.Name
		for n := 2; used[strings.ToLower(label)]; n++ {
			label = fmt.Sprintf("%s (%d)", l.Name, n)
		}
		used[strings.ToLower(label)] = true
		out[l.ID] = label
	}
	return out
}

// ListLabel is how the photographer's lists (Selections) name one list of
// a gallery.
func ListLabel(ctx context.Context, s *db.Store, galleryID, listID int64) (string, error) {
	lists, err := s.PickLists(ctx, galleryID)
	if err != nil {
		return "", err
	}
	label, ok := listLabels(lists)[listID]
	if !ok {
		return "", fmt.Errorf("list %d of gallery %d: %w", listID, galleryID, db.ErrNotFound)
	}
	return label, nil
}
