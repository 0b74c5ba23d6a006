package web

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pinhole/db"
)

// TestTilesHTML_WhatItIsWrittenFrom: the list items come from the template
// "tiles" and are remembered by everything they are written from, so a
// change to any of it (a heart, the page, a photo) is written anew, and
// the same input is not written twice.
func TestTilesHTML_WhatItIsWrittenFrom(t *testing.T) {
	f := newFixture(t)
	views := func(name string, fav bool, w int) []photoView {
		var out []photoView
		for i := range 3 {
			pv := photoViewOf("smith-k4q9x2", i, db.Photo{ID: int64(i + 1), Filename: name, SHA256: strings.Repeat("ab", 32), Width: w, Height: 2000})
			pv.Fav = fav && i == 1
			out = append(out, pv)
		}
		return out
	}
	base := tiles{Photos: views("a.jpg", false, 3000), Hearts: true, Next: "/g/smith-k4q9x2"}
	fav := base
	fav.Photos = views("a.jpg", true, 3000)
	page2 := base
	page2.Next = "/g/smith-k4q9x2?page=2"
	renamed := base
	renamed.Photos = views("b.jpg", false, 3000)
	wider := base
	wider.Photos = views("a.jpg", false, 4000)
	noHearts := base
	noHearts.Hearts = false

	seen := map[string]string{}
	for name, in := range map[string]tiles{"base": base, "fav": fav, "page2": page2, "renamed": renamed, "wider": wider, "no hearts": noHearts} {
		got, err := f.h.tilesHTML(in)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := f.h.pages["gallery"].ExecuteTemplate(&want, "tiles", in); err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%s: remembered\n%s\nwant the template's\n%s", name, got, want.String())
		}
		for other, s := range seen {
			if s == string(got) {
				t.Errorf("%s and %s give the same items", name, other)
			}
		}
		seen[name] = string(got)
		if again, _ := f.h.tilesHTML(in); &again[0] != &got[0] {
			t.Errorf("%s: written again, not remembered", name)
		}
	}
	if n := len(f.h.tileHTML.items); n != len(seen) {
		t.Errorf("%d fragments remembered, want %d", n, len(seen))
	}
	if !strings.Contains(seen["fav"], `aria-pressed="true" title="Remove from favourites"`) || strings.Contains(seen["base"], `aria-pressed="true"`) {
		t.Error("the heart's state is not the photo's")
	}
}

// TestTilesKey_CoversWhatTheTemplateReads: for every field of a photo, a
// change that changes what the template writes changes the key too, so
// that a field the template starts reading cannot be served stale.
func TestTilesKey_CoversWhatTheTemplateReads(t *testing.T) {
	f := newFixture(t)
	c := f.h.tileHTML
	base := photoViewOf("smith-k4q9x2", 0, db.Photo{ID: 7, Filename: "a.jpg", SHA256: strings.Repeat("ab", 32), Width: 3000, Height: 2000})
	write := func(pv photoView) string {
		var b bytes.Buffer
		if err := f.h.pages["gallery"].ExecuteTemplate(&b, "tiles", tiles{Photos: []photoView{pv}, Hearts: true, Next: "/g/x"}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	key := func(pv photoView) tileKey {
		return tiles{Photos: []photoView{pv}, Hearts: true, Next: "/g/x"}.key(c.seeds)
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		if !typ.Field(i).IsExported() {
			continue
		}
		pv := base
		v := reflect.ValueOf(&pv).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int, reflect.Int64:
			v.SetInt(v.Int() + 1)
		case reflect.Bool:
			v.SetBool(!v.Bool())
		default:
			t.Fatalf("field %s of kind %s: teach this test to change it", typ.Field(i).Name, v.Kind())
		}
		if write(pv) != write(base) && key(pv) == key(base) {
			t.Errorf("the template reads %s, but the key does not", typ.Field(i).Name)
		}
	}
}

// TestPhotoView_SizesFollowTheRows: the widths a tile's sizes gives a
// browser without sizes="auto" come from the row heights that site.css and
// site.js lay the rows out with, so that the three cannot drift apart.
func TestPhotoView_SizesFollowTheRows(t *testing.T) {
	css, err := staticFS.ReadFile("static/site.css")
	if err != nil {
		t.Fatal(err)
	}
	js, err := staticFS.ReadFile("static/site.js")
	if err != nil {
		t.Fatal(err)
	}
	from := 0
	for _, h := range rowHeights {
		rule := fmt.Sprintf("@media (min-width: %dpx) { .grid { --row: %dpx; } }", from, h.row)
		if from == 0 {
			rule = fmt.Sprintf(".grid { --row: %dpx;", h.row)
		}
		if !bytes.Contains(css, []byte(rule)) {
			t.Errorf("site.css has no %q", rule)
		}
		script := fmt.Sprintf("w < %d ? %d :", h.below, h.row)
		if h.below == 0 {
			script = fmt.Sprintf(": %d;", h.row)
		}
		if !bytes.Contains(js, []byte(script)) {
			t.Errorf("site.js's rowHeight has no %q", script)
		}
		from = h.below
	}
	pv := photoViewOf("smith-k4q9x2", 0, db.Photo{ID: 7, Filename: "a.jpg", SHA256: strings.Repeat("ab", 32), Width: 1600, Height: 2400})
	want := "auto, " + masonrySizes + ", (max-width: 599px) 100px, (max-width: 1399px) 160px, (max-width: 1999px) 200px, 254px"
	if got := pv.Sizes(); got != want {
		t.Errorf("a portrait's sizes:\n got %s\nwant %s", got, want)
	}
}
