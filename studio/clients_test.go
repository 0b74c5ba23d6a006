package studio

import (
	"context"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
)

func TestOpensSentence(t *testing.T) {
	now := time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)
	wedding := db.Gallery{ID: 1, Slug: "w", Title: "Smith wedding", Access: db.PINAccess, PIN: "1234", Published: true}
	engagement := db.Gallery{ID: 2, Slug: "e", Title: "Smith engagement", Access: db.Inherit, ParentID: 1, ParentSlug: "w", Published: true}
	public := db.Gallery{ID: 3, Slug: "p", Title: "Jones family", Access: db.Public, Published: true}
	draft := db.Gallery{ID: 4, Slug: "d", Title: "Brown birthday", Access: db.PINAccess, PIN: "9999"}
	all := []db.Gallery{wedding, engagement, public, draft}
	tests := []struct {
		granted []string
		want    string
	}{
		{nil, "Opens no gallery yet"},
		{[]string{"p"}, "Opens 1 gallery — none of them asks for a PIN"},
		{[]string{"w"}, "Opens 2 galleries — Smith wedding and Smith engagement without their PINs"},
		{[]string{"w", "p"}, "Opens 3 galleries — Smith wedding and Smith engagement without their PINs"},
		// Only what opens is counted; what does not is named, with why.
		{[]string{"d", "p"}, "Opens 1 gallery — none of them asks for a PIN; not open: Brown birthday (a draft)"},
		{[]string{"d"}, "Opens no gallery now; not open: Brown birthday (a draft)"},
		{[]string{"e"}, "Opens 1 gallery — Smith engagement without its PIN"},
	}
	for _, tt := range tests {
		if got := OpensSentence(Opens(all, tt.granted, now)); got != tt.want {
			t.Errorf("granted %v:\n got %q\nwant %q", tt.granted, got, tt.want)
		}
	}
}

func TestClientShareFor(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil)
	for k, v := range map[string]string{db.SettingBaseURL: "https://photos.example.com", db.SettingStudioName: "Lumen Studio",
		db.SettingTemplateClient: "Dear {name}, {studio}: {url} code {code}"} {
		if err := s.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	code := "ANNA7K2QSMTH"
	name := "Anna Smith"
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: &name, Code: &code})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ClientShareFor(ctx, s, Given{}, cl)
	if err != nil {
		t.Fatal(err)
	}
	want := ClientShare{URL: "https://photos.example.com/", Code: db.FormatCode(code),
		Message: "Dear Anna Smith, Lumen Studio: https://photos.example.com/ code " + db.FormatCode(code),
		Warning: "This login opens no gallery yet: the client would find an empty page"} // nothing granted
	if sh != want {
		t.Errorf("got %+v, want %+v", sh, want)
	}
}

// TestSaveClient_AllOrNothing: a client saved with a grant that cannot be
// made (a gallery deleted meanwhile) is not saved at all, new or changed;
// a save that can be made writes the client and its grants together.
func TestSaveClient_AllOrNothing(t *testing.T) {
	ctx := context.Background()
	store := dbtest.Open(t, nil)
	title := func(s string) *string { return &s }
	g, err := store.CreateGallery(ctx, db.GalleryInput{Title: title("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := SaveClient(ctx, store, 0, db.ClientInput{Name: title("Anna")}, []string{g.Slug, "gone-gallery"}); err == nil {
		t.Fatal("a grant of a missing gallery was saved")
	}
	if cs, _ := store.Clients(ctx); len(cs) != 0 {
		t.Fatalf("a failed save left %d client logins behind: %+v", len(cs), cs)
	}

	cl, err := SaveClient(ctx, store, 0, db.ClientInput{Name: title("Anna"), Code: title("ANNA-2726-SMTH")}, []string{g.Slug})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Name != "Anna" || len(cl.Galleries) != 1 || cl.Galleries[0] != g.Slug {
		t.Fatalf("saved %+v", cl)
	}

	// A change that fails half way (its grant) leaves the name, the code,
	// the note and the grants as they were.
	_, err = SaveClient(ctx, store, cl.ID, db.ClientInput{Name: title("Anna Smith"), Code: title("NEWC-2DE3-4567"), Note: title("changed")}, []string{"gone-gallery"})
	if err == nil {
		t.Fatal("a grant of a missing gallery was saved")
	}
	got, err := store.ClientByID(ctx, cl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Anna" || got.Code != cl.Code || got.Note != "" || len(got.Galleries) != 1 || got.Galleries[0] != g.Slug {
		t.Errorf("after a failed change: %+v, want it as saved: %+v", got, cl)
	}

	// A taken code fails the new login whole, grants included.
	if _, err := SaveClient(ctx, store, 0, db.ClientInput{Name: title("Ben"), Code: title("ANNA-2726-SMTH")}, []string{g.Slug}); err == nil {
		t.Fatal("a taken code was saved")
	}
	if cs, _ := store.Clients(ctx); len(cs) != 1 {
		t.Errorf("%d client logins after a refused one, want 1", len(cs))
	}
}
