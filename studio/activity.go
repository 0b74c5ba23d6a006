package studio

import (
	"fmt"
	"strings"

	"pinhole/db"
)

var eventWords = map[string]string{
	db.EventView: "opened", db.EventPINOK: "typed the right PIN", db.EventPINFail: "typed a wrong PIN",
	db.EventDownload: "downloaded", db.EventZIP: "downloaded a ZIP", db.EventFavourite: "favourited",
	db.EventUnfavorite: "unfavourited", db.EventLogin: "logged in", db.EventLoginFail: "typed a wrong access code",
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

// Picks are the photos one person picked in a gallery.
type Picks struct {
	Person string
	Client bool     // a client login, not a PIN visitor's first name
	Photos []string // file names, in the order of the favourites given
}

// PicksByPerson groups a gallery's favourites by who picked them, in the
// order people first appear.
func PicksByPerson(favs []db.Favourite) []Picks {
	var people []Picks
	index := map[string]int{}
	for _, f := range favs {
		key := fmt.Sprintf("%d/%s", f.ClientID, strings.ToLower(f.Person))
		i, ok := index[key]
		if !ok {
			i = len(people)
			index[key] = i
			people = append(people, Picks{Person: f.Person, Client: f.ClientID != 0})
		}
		people[i].Photos = append(people[i].Photos, f.Filename)
	}
	return people
}
