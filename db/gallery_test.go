package db_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

func TestStore_CreateGallery(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)

	t.Run("defaults", func(t *testing.T) {
		g := mkGallery(t, s, "  Smith Wedding  ")
		if got, want := g.Title, "Smith Wedding"; got != want {
			t.Errorf("Title = %q, want %q", got, want)
		}
		if got, want := g.Access, db.PINAccess; got != want {
			t.Errorf("Access = %q, want %q", got, want)
		}
		if !sixDigits.MatchString(g.PIN) {
			t.Errorf("PIN = %q, want 6 digits", g.PIN)
		}
		if got, want := g.PINVersion, 1; got != want {
			t.Errorf("PINVersion = %d, want %d", got, want)
		}
		if got, want := g.Downloads, db.DownloadsOriginal; got != want {
			t.Errorf("Downloads = %q, want %q", got, want)
		}
		if !g.Published {
			t.Error("Published = false, want true")
		}
		if !strings.HasPrefix(g.Slug, "smith-wedding-") {
			t.Errorf("Slug = %q, want prefix smith-wedding-", g.Slug)
		}
		if !g.ExpiresAt.IsZero() || g.ParentID != 0 || g.Listed {
			t.Errorf("ExpiresAt, ParentID, Listed = %v, %d, %v, want zero", g.ExpiresAt, g.ParentID, g.Listed)
		}
		if !g.CreatedAt.Equal(t0) {
			t.Errorf("CreatedAt = %v, want %v", g.CreatedAt, t0)
		}
	})

	tests := []struct {
		name string
		in   db.GalleryInput
		want func(t *testing.T, g db.Gallery)
	}{
		{"public has no PIN", db.GalleryInput{Access: new(db.Public)}, func(t *testing.T, g db.Gallery) {
			if g.Access != db.Public || g.PIN != "" {
				t.Errorf("Access, PIN = %q, %q, want public, \"\"", g.Access, g.PIN)
			}
		}},
		{"download pin gets a PIN", db.GalleryInput{Access: new(db.DownloadPIN)}, func(t *testing.T, g db.Gallery) {
			if g.Access != db.DownloadPIN || !sixDigits.MatchString(g.PIN) {
				t.Errorf("Access, PIN = %q, %q, want download-pin, 6 digits", g.Access, g.PIN)
			}
		}},
		{"chosen PIN", db.GalleryInput{PIN: new(" 0042 ")}, func(t *testing.T, g db.Gallery) {
			if g.PIN != "0042" {
				t.Errorf("PIN = %q, want 0042", g.PIN)
			}
		}},
		{"auto PIN", db.GalleryInput{PIN: new(db.PINAuto)}, func(t *testing.T, g db.Gallery) {
			if !sixDigits.MatchString(g.PIN) {
				t.Errorf("PIN = %q, want 6 digits", g.PIN)
			}
		}},
		{"settings", db.GalleryInput{Description: new(" d "), EventDate: new("2030-05-01"),
			Downloads: new(db.DownloadsWeb), Expires: new("2030-07-01"), Published: new(false),
			Listed: new(true), NavigateUp: new(true)}, func(t *testing.T, g db.Gallery) {
			if g.Description != "d" || g.EventDate != "2030-05-01" || g.Downloads != db.DownloadsWeb ||
				g.Published || !g.Listed || !g.NavigateUp {
				t.Errorf("got %+v", g)
			}
			end, _ := db.ExpiryEnd("2030-07-01")
			if !g.ExpiresAt.Equal(end) {
				t.Errorf("ExpiresAt = %v, want %v", g.ExpiresAt, end)
			}
			if got := g.ExpiresOn(); got != "2030-07-01" {
				t.Errorf("ExpiresOn = %q, want 2030-07-01", got)
			}
		}},
		{"never expires", db.GalleryInput{Expires: new("never")}, func(t *testing.T, g db.Gallery) {
			if !g.ExpiresAt.IsZero() {
				t.Errorf("ExpiresAt = %v, want zero", g.ExpiresAt)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Title = new(tt.name)
			g, err := s.CreateGallery(ctx, in)
			if err != nil {
				t.Fatalf("CreateGallery: %v", err)
			}
			tt.want(t, g)
			got, err := s.Gallery(ctx, g.Slug)
			if err != nil {
				t.Fatal(err)
			}
			got.Photos, g.Photos = 0, 0
			if got != g {
				t.Errorf("Gallery(%q) = %+v, want what CreateGallery returned %+v", g.Slug, got, g)
			}
		})
	}
}

func TestStore_CreateGalleryInvalid(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	existing := mkGallery(t, s, "Existing")
	sub := mkGallery(t, s, "Sub", withParent(mkGallery(t, s, "Parent").Slug))
	p := mkPhoto(t, s, existing.ID, "a.jpg", "aa", time.Time{})

	tests := []struct {
		name string
		in   db.GalleryInput
		want error
	}{
		{"no title", db.GalleryInput{}, db.ErrInvalid},
		{"empty title", db.GalleryInput{Title: new("   ")}, db.ErrInvalid},
		{"PIN with letters", db.GalleryInput{Title: new("x"), PIN: new("12a4")}, db.ErrInvalid},
		{"PIN too short", db.GalleryInput{Title: new("x"), PIN: new("123")}, db.ErrInvalid},
		{"PIN too long", db.GalleryInput{Title: new("x"), PIN: new("1234567890123")}, db.ErrInvalid},
		{"PIN access without PIN", db.GalleryInput{Title: new("x"), PIN: new("")}, db.ErrInvalid},
		{"expiry in the past", db.GalleryInput{Title: new("x"), Expires: new("2030-06-01")}, db.ErrInvalid},
		{"expiry yesterday", db.GalleryInput{Title: new("x"), Expires: new("2030-06-13")}, db.ErrInvalid},
		{"expiry not a date", db.GalleryInput{Title: new("x"), Expires: new("next week")}, db.ErrInvalid},
		{"event date not a date", db.GalleryInput{Title: new("x"), EventDate: new("15/06/2030")}, db.ErrInvalid},
		{"inherit at top level", db.GalleryInput{Title: new("x"), Access: new(db.Inherit)}, db.ErrInvalid},
		{"unknown parent", db.GalleryInput{Title: new("x"), Parent: new("no-such-gallery")}, db.ErrNotFound},
		{"parent is a sub-gallery", db.GalleryInput{Title: new("x"), Parent: new(sub.Slug)}, db.ErrInvalid},
		{"cover from another gallery", db.GalleryInput{Title: new("x"), CoverID: new(p.ID)}, db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateGallery(ctx, tt.in)
			if !errors.Is(err, tt.want) {
				t.Errorf("CreateGallery: err = %v, want %v", err, tt.want)
			}
			if got, want := count(t, raw, "SELECT COUNT(*) FROM galleries"), 3; got != want {
				t.Errorf("galleries = %d, want %d", got, want)
			}
		})
	}
}

func TestStore_CreateGallerySub(t *testing.T) {
	s, _ := openStore(t)
	parent := mkGallery(t, s, "Wedding")
	g := mkGallery(t, s, "Ceremony", withParent(parent.Slug))
	if g.ParentID != parent.ID || g.ParentSlug != parent.Slug {
		t.Errorf("ParentID, ParentSlug = %d, %q, want %d, %q", g.ParentID, g.ParentSlug, parent.ID, parent.Slug)
	}
	if g.Access != db.Inherit || g.PIN != "" {
		t.Errorf("Access, PIN = %q, %q, want inherit and no PIN", g.Access, g.PIN)
	}
	// Moved to the top level, it can no longer inherit: it gets PIN
	// access with a PIN of its own, and a new pin_version.
	top, err := s.UpdateGallery(context.Background(), g.Slug, db.GalleryInput{Parent: new("")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if top.ParentID != 0 || top.Access != db.PINAccess || !sixDigits.MatchString(top.PIN) || top.PINVersion <= g.PINVersion {
		t.Errorf("moved to top: ParentID, Access, PIN, PINVersion = %d, %q, %q, %d, want 0, pin, 6 digits, above %d",
			top.ParentID, top.Access, top.PIN, top.PINVersion, g.PINVersion)
	}
	own := mkGallery(t, s, "Party", withParent(parent.Slug), func(in *db.GalleryInput) { in.Access = new(db.PINAccess) })
	if own.Access != db.PINAccess || !sixDigits.MatchString(own.PIN) {
		t.Errorf("own access: Access, PIN = %q, %q, want pin, 6 digits", own.Access, own.PIN)
	}
}

func TestStore_UpdateGallery(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	g := mkGallery(t, s, "Smith", func(in *db.GalleryInput) { in.PIN = new("1234") })
	clk.Add(time.Hour)

	got, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{Title: new("Smith & Jones"), Downloads: new(db.DownloadsOff)}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Smith & Jones" || got.Downloads != db.DownloadsOff {
		t.Errorf("Title, Downloads = %q, %q", got.Title, got.Downloads)
	}
	if got.Slug != g.Slug {
		t.Errorf("Slug changed: %q, want %q (links already sent must keep working)", got.Slug, g.Slug)
	}
	if got.PIN != "1234" || got.PINVersion != g.PINVersion {
		t.Errorf("PIN, PINVersion = %q, %d, want 1234, %d (untouched)", got.PIN, got.PINVersion, g.PINVersion)
	}
	if !got.UpdatedAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Errorf("CreatedAt, UpdatedAt = %v, %v", got.CreatedAt, got.UpdatedAt)
	}

	if _, err := s.UpdateGallery(ctx, "missing", db.GalleryInput{Title: new("x")}, false); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("UpdateGallery(missing): err = %v, want ErrNotFound", err)
	}
}

func TestStore_UpdateGalleryPIN(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	tests := []struct {
		name     string
		in       db.GalleryInput
		newPIN   bool
		wantPIN  string // "" : any 6 digits other than the old one
		wantBump bool   // a new pin_version
	}{
		{"same PIN", db.GalleryInput{PIN: new("1234")}, false, "1234", false},
		{"other field", db.GalleryInput{Title: new("t")}, false, "1234", false},
		{"new PIN", db.GalleryInput{PIN: new("5678")}, false, "5678", true},
		{"generated", db.GalleryInput{}, true, "", true},
		{"to public keeps the PIN", db.GalleryInput{Access: new(db.Public)}, false, "1234", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := mkGallery(t, s, "g", func(in *db.GalleryInput) { in.PIN = new("1234") })
			got, err := s.UpdateGallery(ctx, g.Slug, tt.in, tt.newPIN)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantPIN == "" {
				if !sixDigits.MatchString(got.PIN) || got.PIN == g.PIN {
					t.Errorf("PIN = %q, want 6 digits other than %q", got.PIN, g.PIN)
				}
			} else if got.PIN != tt.wantPIN {
				t.Errorf("PIN = %q, want %q", got.PIN, tt.wantPIN)
			}
			if bumped := got.PINVersion > g.PINVersion; bumped != tt.wantBump || got.PINVersion < g.PINVersion {
				t.Errorf("PINVersion = %d after %d, want a new one: %v", got.PINVersion, g.PINVersion, tt.wantBump)
			}
		})
	}

	// A new PIN is always a different PIN, and each change bumps the version.
	g := mkGallery(t, s, "many")
	for i := range 200 {
		next, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{}, true)
		if err != nil {
			t.Fatal(err)
		}
		if next.PIN == g.PIN || next.PINVersion <= g.PINVersion {
			t.Fatalf("new PIN %d: %q v%d after %q v%d", i, next.PIN, next.PINVersion, g.PIN, g.PINVersion)
		}
		g = next
	}
}

func TestStore_UpdateGalleryInvalid(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	parent := mkGallery(t, s, "Parent")
	child := mkGallery(t, s, "Child", withParent(parent.Slug))
	g := mkGallery(t, s, "Kept", func(in *db.GalleryInput) { in.PIN = new("4321") })
	other := mkGallery(t, s, "Other")
	p := mkPhoto(t, s, other.ID, "a.jpg", "aa", time.Time{})
	clk.Add(time.Hour)

	tests := []struct {
		name string
		slug string
		in   db.GalleryInput
		want error
	}{
		{"empty title", g.Slug, db.GalleryInput{Title: new(""), PIN: new("9999")}, db.ErrInvalid},
		{"invalid PIN", g.Slug, db.GalleryInput{Title: new("New"), PIN: new("12 34")}, db.ErrInvalid},
		{"clear PIN of PIN gallery", g.Slug, db.GalleryInput{PIN: new("")}, db.ErrInvalid},
		{"expiry in the past", g.Slug, db.GalleryInput{Title: new("New"), Expires: new("2020-01-01")}, db.ErrInvalid},
		{"unknown parent", g.Slug, db.GalleryInput{Title: new("New"), Parent: new("nope")}, db.ErrNotFound},
		{"own parent", g.Slug, db.GalleryInput{Parent: new(g.Slug)}, db.ErrInvalid},
		{"parent with children becomes a child", parent.Slug, db.GalleryInput{Parent: new(g.Slug)}, db.ErrInvalid},
		{"parent is a child", g.Slug, db.GalleryInput{Parent: new(child.Slug)}, db.ErrInvalid},
		{"cover from another gallery", g.Slug, db.GalleryInput{CoverID: new(p.ID)}, db.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := s.Gallery(ctx, tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.UpdateGallery(ctx, tt.slug, tt.in, false)
			if !errors.Is(err, tt.want) {
				t.Errorf("UpdateGallery: err = %v, want %v", err, tt.want)
			}
			after, err := s.Gallery(ctx, tt.slug)
			if err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Errorf("gallery changed:\n got %+v\nwant %+v", after, before)
			}
		})
	}
}

func TestStore_Gallery(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "Found")
	mkPhoto(t, s, g.ID, "a.jpg", "aa", time.Time{})
	mkPhoto(t, s, g.ID, "b.jpg", "bb", time.Time{})

	got, err := s.Gallery(ctx, g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != g.ID || got.Photos != 2 || got.Bytes != 2000 {
		t.Errorf("ID, Photos, Bytes = %d, %d, %d, want %d, 2, 2000", got.ID, got.Photos, got.Bytes, g.ID)
	}
	byID, err := s.GalleryByID(ctx, g.ID)
	if err != nil || byID != got {
		t.Errorf("GalleryByID = %+v, %v, want %+v", byID, err, got)
	}
	for _, slug := range []string{"", "found", g.Slug + "x", strings.ToUpper(g.Slug)} {
		if _, err := s.Gallery(ctx, slug); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Gallery(%q): err = %v, want ErrNotFound", slug, err)
		}
	}
	if _, err := s.GalleryByID(ctx, 999); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("GalleryByID(999): err = %v, want ErrNotFound", err)
	}
}

func TestStore_Galleries(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	if got, err := s.Galleries(ctx); err != nil || len(got) != 0 {
		t.Fatalf("Galleries on an empty store = %v, %v", got, err)
	}
	var slugs []string
	for _, title := range []string{"First", "Second", "Third"} {
		slugs = append(slugs, mkGallery(t, s, title).Slug)
		clk.Add(time.Minute)
	}
	a := mkGallery(t, s, "Sub A", withParent(slugs[0]))
	clk.Add(time.Minute)
	b := mkGallery(t, s, "Sub B", withParent(slugs[0]))

	got, err := s.Galleries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{b.Slug, a.Slug, slugs[2], slugs[1], slugs[0]}
	if g := slugsOf(got); !equal(g, want) {
		t.Errorf("Galleries = %v, want newest first %v", g, want)
	}

	parent, _ := s.Gallery(ctx, slugs[0])
	kids, err := s.Children(ctx, parent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := slugsOf(kids), []string{a.Slug, b.Slug}; !equal(g, w) {
		t.Errorf("Children = %v, want oldest first %v", g, w)
	}
	if kids, _ := s.Children(ctx, a.ID); len(kids) != 0 {
		t.Errorf("Children of a leaf = %v, want none", slugsOf(kids))
	}
}

func slugsOf(gs []db.Gallery) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Slug)
	}
	return out
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGallery_Expired(t *testing.T) {
	end := t0.Add(24 * time.Hour)
	tests := []struct {
		name    string
		expires time.Time
		now     time.Time
		want    bool
	}{
		{"never", time.Time{}, t0, false},
		{"before", end, end.Add(-time.Second), false},
		{"at", end, end, true},
		{"after", end, end.Add(time.Second), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (db.Gallery{ExpiresAt: tt.expires}).Expired(tt.now); got != tt.want {
				t.Errorf("Expired = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseAccess(t *testing.T) {
	tests := []struct {
		in      string
		want    db.Access
		wantErr bool
	}{
		{"public", db.Public, false},
		{"pin", db.PINAccess, false},
		{"download-pin", db.DownloadPIN, false},
		{"inherit", db.Inherit, false},
		{"", "", true},
		{"PIN", "", true},
		{"private", "", true},
	}
	for _, tt := range tests {
		got, err := db.ParseAccess(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, db.ErrInvalid)) {
			t.Errorf("ParseAccess(%q) = %q, %v, want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseDownloads(t *testing.T) {
	tests := []struct {
		in      string
		want    db.Downloads
		wantErr bool
	}{
		{"off", db.DownloadsOff, false},
		{"web", db.DownloadsWeb, false},
		{"original", db.DownloadsOriginal, false},
		{"", "", true},
		{"all", "", true},
	}
	for _, tt := range tests {
		got, err := db.ParseDownloads(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr || (err != nil && !errors.Is(err, db.ErrInvalid)) {
			t.Errorf("ParseDownloads(%q) = %q, %v, want %q, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// A store's error says what is wrong; the advice of where to look belongs
// to the caller (the command line adds its commands, the TUI does not).
func TestStore_NotFoundNamesNoCommand(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "Here")
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: new("Anna")})
	if err != nil {
		t.Fatal(err)
	}
	_, errGallery := s.Gallery(ctx, "nope")
	_, errSettings := s.GallerySettings(ctx, "nope")
	_, errParent := s.CreateGallery(ctx, db.GalleryInput{Title: new("Sub"), Parent: new("nope")})
	for _, tt := range []struct {
		name string
		err  error
		kind error
		want string
	}{
		{"Gallery", errGallery, db.ErrNoGallery, `gallery "nope" not found`},
		{"GallerySettings", errSettings, db.ErrNoGallery, `gallery "nope" not found`},
		{"parent", errParent, db.ErrNoGallery, `parent gallery "nope" not found`},
		{"grant", s.Grant(ctx, cl.ID, g.Slug, "nope"), db.ErrNoGallery, `gallery "nope" not found`},
		{"admin key", s.RemoveAdminKey(ctx, "laptop"), db.ErrNoAdminKey, `remove admin key "laptop": no admin key has that name`},
		{"logo", s.SetSetting(ctx, db.SettingLogo, "logo.png"), db.ErrInvalid, `logo "logo.png": not an imported picture`},
	} {
		if !errors.Is(tt.err, tt.kind) || !errors.Is(tt.err, db.ErrNotFound) && tt.kind != db.ErrInvalid {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.kind)
			continue
		}
		if msg := tt.err.Error(); !strings.HasPrefix(msg, tt.want) || strings.Contains(msg, "pinhole") {
			t.Errorf("%s: %q, want %q and no command", tt.name, msg, tt.want)
		}
	}
}
