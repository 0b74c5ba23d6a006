package tui_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"pinhole/db"
	"pinhole/tui"
)

// studioData fills a store with a small studio: galleries of every kind,
// photos, a client login, favourites and activity with a wrong-PIN burst.
// Slugs are fixed after creation so that every run draws the same screens.
func studioData(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetSetting(ctx, db.SettingStudioName, "Lumen Studio"))
	must(s.SetSetting(ctx, db.SettingBaseURL, "https://photos.example.com"))
	str := func(v string) *string { return &v }
	wedding := e.fixSlug(e.gallery("Smith wedding", "482917", func(in *db.GalleryInput) {
		in.EventDate, in.Expires = str("2026-06-13"), str("2026-12-31")
		in.Description = str("Saturday 13 June at the old mill.")
	}), "smith-wedding-k4q9x2")
	e.fixSlug(e.gallery("Smith engagement", "", func(in *db.GalleryInput) {
		in.Parent, in.Access = str(wedding.Slug), nil
	}), "smith-engagement-p2m7dd")
	jones := e.fixSlug(e.gallery("Jones family", "", func(in *db.GalleryInput) {
		listed := true
		in.Listed = &listed
	}), "jones-family-h8c3vt")
	e.fixSlug(e.gallery("Brown birthday", "2468", func(in *db.GalleryInput) {
		a, pub := db.DownloadPIN, false
		in.Access, in.Published = &a, &pub
	}), "brown-birthday-z5r1qe")

	var photos []db.Photo
	for i := range 24 {
		p, err := s.AddPhoto(ctx, db.Photo{GalleryID: wedding.ID, Filename: fmt.Sprintf("IMG_%04d.jpg", 4100+i),
			SHA256: fmt.Sprintf("%064x", i+1), Bytes: 6_400_000 + int64(i)*10_000, Width: 6000, Height: 4000})
		must(err)
		photos = append(photos, p)
	}
	for i := range 3 {
		_, err := s.AddPhoto(ctx, db.Photo{GalleryID: jones.ID, Filename: fmt.Sprintf("jones-%d.jpg", i),
			SHA256: fmt.Sprintf("%064x", 100+i), Bytes: 2_000_000, Width: 4000, Height: 3000})
		must(err)
	}
	code := "ANNA7K2QSMTH"
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: str("Anna Smith"), Code: &code, Note: str("bride")})
	must(err)
	must(s.Grant(ctx, cl.ID, wedding.Slug))
	_, anna, err := s.CreatePickList(ctx, db.PickList{GalleryID: wedding.ID, ClientID: cl.ID})
	must(err)
	_, tom, err := s.CreatePickList(ctx, db.PickList{GalleryID: wedding.ID, Name: "Tom"})
	must(err)
	for i, p := range photos[:5] {
		must(s.SetPick(ctx, anna.ID, p.ID, true, false))
		if i < 2 {
			must(s.SetPick(ctx, tom.ID, p.ID, true, false))
		}
	}
	at := func(min int) time.Time { return clock.Add(-time.Duration(min) * time.Minute) }
	events := []db.Event{
		{GalleryID: wedding.ID, Kind: db.EventPINFail, Address: "198.51.100.23", At: at(300)},
		{GalleryID: wedding.ID, Kind: db.EventPINOK, Address: "198.51.100.23", At: at(299)},
		{GalleryID: wedding.ID, Kind: db.EventView, ClientID: cl.ID, At: at(240)},
		{GalleryID: wedding.ID, Kind: db.EventFavourite, ClientID: cl.ID, PhotoID: photos[0].ID, At: at(238)},
		{GalleryID: wedding.ID, Kind: db.EventDownload, ClientID: cl.ID, PhotoID: photos[1].ID, At: at(200)},
		{GalleryID: wedding.ID, Kind: db.EventZIP, ClientID: cl.ID, Detail: "favourites", At: at(190)},
		{GalleryID: jones.ID, Kind: db.EventView, Address: "203.0.113.9", At: at(60)},
		{GalleryID: wedding.ID, Kind: db.EventPINFail, Address: "192.0.2.77", At: at(12)},
		{GalleryID: wedding.ID, Kind: db.EventPINFail, Address: "192.0.2.77", At: at(11)},
		{GalleryID: wedding.ID, Kind: db.EventPINFail, Address: "192.0.2.77", At: at(10)},
		{GalleryID: wedding.ID, Kind: db.EventPINFail, Address: "192.0.2.77", At: at(9)},
	}
	for _, ev := range events {
		must(s.AddEvent(ctx, ev))
	}
}

var (
	previewToken = regexp.MustCompile(`/preview/[A-Za-z0-9_-]+`)
	// A new gallery's PIN and a new login's code are made at random.
	newSecret  = regexp.MustCompile(`PIN {9}\d{6}|Code {6}[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}`)
	secretChar = regexp.MustCompile(`[0-9A-Z]`)
)

type step struct {
	keys []tea.Msg
	wait string // on screen after the keys
}

type screenSteps struct {
	name  string
	steps []step
}

// mainScreens are the keys that reach each main screen from the start.
func mainScreens() []screenSteps {
	down, enter := key(tea.KeyDown), key(tea.KeyEnter)
	openWedding := step{[]tea.Msg{down, down, enter}, "SETTINGS"}
	return []screenSteps{
		{"galleries", nil},
		{"gallery", []step{openWedding}},
		{"subgallery", []step{{[]tea.Msg{down, down, down, enter}, "SETTINGS"}}},
		{"gallery_preview", []step{openWedding, {[]tea.Msg{runes("v")}, "(copied)"}}},
		{"gallery_xmp", []step{openWedding, {[]tea.Msg{runes("X")}, "XMP SIDECARS"}}},
		{"edit", []step{{[]tea.Msg{down, down, runes("e")}, "482917"}}},
		{"share", []step{{[]tea.Msg{down, down, runes("s")}, "LINK"}}},
		{"import", []step{{[]tea.Msg{down, down, runes("i")}, "Import photos into"}}},
		{"clients", []step{{[]tea.Msg{runes("2")}, "1 client login"}}},
		{"client", []step{{[]tea.Msg{runes("2")}, "1 client login"}, {[]tea.Msg{enter}, "bride"}}},
		{"client_share", []step{{[]tea.Msg{runes("2")}, "1 client login"}, {[]tea.Msg{runes("s")}, "ACCESS CODE"}}},
		{"share_qr", []step{{[]tea.Msg{down, down, runes("s")}, "LINK"}, {[]tea.Msg{runes("Q")}, "esc closes"}}},
		{"activity", []step{{[]tea.Msg{runes("3")}, "WHEN"}}},
		{"settings", []step{{[]tea.Msg{runes("4")}, "E-mail text"}}},
		{"help", []step{{[]tea.Msg{runes("?")}, "page down"}}},
		// The forms and questions.
		{"new", []step{{[]tea.Msg{runes("n")}, "New gallery"}}},
		{"new_leave", []step{{[]tea.Msg{runes("n")}, "New gallery"}, {[]tea.Msg{runes("Okafor"), key(tea.KeyEsc)}, "Leave without saving"}}},
		{"gallery_delete", []step{openWedding, {[]tea.Msg{runes("d")}, "y/n"}}},
		{"gallery_pin", []step{openWedding, {[]tea.Msg{runes("P")}, "y/n"}}},
		{"share_plain", []step{{[]tea.Msg{down, down, runes("s")}, "LINK"}, {[]tea.Msg{runes("o")}, "Select with the mouse"}}},
		{"client_new", []step{{[]tea.Msg{runes("2")}, "1 client login"}, {[]tea.Msg{runes("n")}, "New client login"}}},
		{"settings_edit", []step{{[]tea.Msg{runes("4")}, "E-mail text"}, {[]tea.Msg{runes("e"), key(tea.KeyTab), key(tea.KeyTab), key(tea.KeyTab), key(tea.KeyTab)}, "tab moves"}}},
		{"activity_filter", []step{{[]tea.Msg{runes("3")}, "WHEN"}, {[]tea.Msg{runes("/anna")}, "4 of 4"}}},
	}
}

// screenView drives the program to a screen and returns what it shows.
func screenView(t *testing.T, sc screenSteps, w, h int) string {
	e := newEnv(t)
	studioData(t, e)
	tm := e.runWith(e.goldenConfig(), w, h)
	waitFor(t, tm, "4 galleries")
	for _, st := range sc.steps {
		send(tm, st.keys...)
		waitFor(t, tm, st.wait)
	}
	settle(tm) // let the last loads land
	// Preview tokens are random: keep their length, hide their letters.
	view := previewToken.ReplaceAllStringFunc(final(t, tm).View(), func(s string) string {
		return "/preview/" + strings.Repeat("x", len(s)-len("/preview/"))
	})
	if strings.HasPrefix(sc.name, "new") || sc.name == "client_new" {
		view = newSecret.ReplaceAllStringFunc(view, func(s string) string {
			cut := strings.LastIndex(s, " ") + 1 // after the label and its spaces
			return s[:cut] + secretChar.ReplaceAllString(s[cut:], "x")
		})
	}
	return view
}

// TestGolden draws the main screens at 60×20, 80×24, 120×40 and 200×50 and compares them
// with testdata/TestGolden/*.golden (go test ./tui -run TestGolden -update
// refreshes them). No colours: the renderer has the ASCII profile.
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}, {200, 50}} {
		for _, sc := range mainScreens() {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				var view string
				if sc.name == "import" || sc.name == "gallery_xmp" { // they offer the working directory
					_, back := inPictures(t, "smith-wedding")
					view = screenView(t, sc, size[0], size[1])
					back() // the goldens are read from the package's folder
				} else {
					view = screenView(t, sc, size[0], size[1])
				}
				golden.RequireEqual(t, []byte(view))
			})
		}
	}
}

// inPictures makes a temporary home with Pictures/NAME in it and works
// from that folder, as a photographer who ran pinhole there, until back
// (or the test's end).
func inPictures(t *testing.T, name string) (dir string, back func()) {
	home := t.TempDir()
	dir = filepath.Join(home, "Pictures", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	back = func() {
		if err := os.Chdir(wd); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(back)
	return dir, back
}

// TestLayout_FitsTheTerminal checks every main screen from 60 columns (the
// degraded layout) to very wide: exactly as many lines as the terminal,
// none wider, and the footer in place.
func TestLayout_FitsTheTerminal(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {100, 30}, {240, 60}} {
		for _, sc := range mainScreens() {
			t.Run(fmt.Sprintf("%s_%dx%d", sc.name, size[0], size[1]), func(t *testing.T) {
				view := screenView(t, sc, size[0], size[1])
				lines := strings.Split(view, "\n")
				if len(lines) != size[1] {
					t.Errorf("%d lines, want %d:\n%s", len(lines), size[1], view)
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > size[0] {
						t.Errorf("line %d is %d cells wide, more than %d: %q", i+1, w, size[0], l)
					}
				}
				if sc.name == "share_qr" || sc.name == "share_plain" { // the QR code or the texts alone, by design
					if !strings.Contains(view, "esc closes") {
						t.Errorf("the full-screen view does not say how to close it:\n%s", view)
					}
					return
				}
				if !strings.Contains(view, "Pinhole") || !strings.Contains(view, "quit") && !strings.Contains(view, "…") {
					t.Errorf("header or help missing:\n%s", view)
				}
			})
		}
	}
}

// TestGolden_Import draws an import under way (its screen, then the
// question on quitting) at each size. The database is held by another
// writer from the start, so the import stays at its first photo while the
// screens are drawn.
func TestGolden_Import(t *testing.T) {
	for _, size := range [][2]int{{60, 20}, {80, 24}, {120, 40}, {200, 50}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			e := newEnv(t)
			studioData(t, e)
			src := manyPhotos(t, 5) // from the package's folder
			dir, back := inPictures(t, "smith-wedding")
			for i := range 5 {
				name := fmt.Sprintf("IMG_%04d.jpg", i)
				b, err := os.ReadFile(filepath.Join(src, name))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			release := e.holdWrites()
			tap := &viewTap{m: tui.New(e.goldenConfig())}
			tm := teatest.NewTestModel(t, tap, teatest.WithInitialTermSize(size[0], size[1]))
			waitFor(t, tm, "4 galleries")
			send(tm, key(tea.KeyDown), key(tea.KeyDown), runes("i"))
			waitFor(t, tm, "Import photos into")
			send(tm, key(tea.KeyEnter))
			waitFor(t, tm, "Importing into")
			send(tm, runes("i"))
			waitFor(t, tm, "0 / 5 photos")
			settle(tm)
			back() // the goldens are read from the package's folder
			t.Run("import_running", func(t *testing.T) {
				golden.RequireEqual(t, []byte(tap.last()))
			})
			send(tm, key(tea.KeyEsc), runes("q"))
			waitFor(t, tm, "stop and quit? y/n")
			settle(tm)
			t.Run("quit_ask", func(t *testing.T) {
				golden.RequireEqual(t, []byte(tap.last()))
			})
			send(tm, runes("y"))
			release()
			tm.WaitFinished(t, teatest.WithFinalTimeout(15*time.Second))
		})
	}
}

// viewTap runs a model and keeps the last frame it drew, to be read while
// the program runs.
type viewTap struct {
	m     tea.Model
	mu    sync.Mutex
	frame string
}

func (v *viewTap) Init() tea.Cmd { return v.m.Init() }

func (v *viewTap) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	v.m, cmd = v.m.Update(msg)
	return v, cmd
}

func (v *viewTap) View() string {
	s := v.m.View()
	v.mu.Lock()
	v.frame = s
	v.mu.Unlock()
	return s
}

func (v *viewTap) last() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.frame
}
