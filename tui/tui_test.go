package tui_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/charmbracelet/x/exp/teatest"
	"os"
	"path/filepath"
	"pinhole/tui"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/studio"
)

func TestGalleries_CreateWithGeneratedPIN(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")

	send(tm, runes("n"))
	waitFor(t, tm, "New gallery")
	tm.Type("Smith wedding")
	for range 5 { // title, description, date, parent, access → PIN
		send(tm, key(tea.KeyTab))
	}
	for range 12 {
		send(tm, key(tea.KeyBackspace))
	}
	send(tm, key(tea.KeyCtrlG), key(tea.KeyCtrlS))
	waitFor(t, tm, "Created “Smith wedding” · PIN ", "SETTINGS")

	gs, err := e.store.Galleries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 {
		t.Fatalf("got %d galleries, want 1", len(gs))
	}
	g := gs[0]
	if g.Title != "Smith wedding" || g.Access != db.PINAccess {
		t.Errorf("got %q with access %q, want Smith wedding with PIN access", g.Title, g.Access)
	}
	if err := db.ValidPIN(g.PIN); err != nil {
		t.Errorf("generated PIN %q: %v", g.PIN, err)
	}

	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "1 gallery", "Smith wedding")
	final(t, tm)
}

func TestForm_InvalidPINShowsErrorAndSavesNothing(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")

	send(tm, runes("e"))
	waitFor(t, tm, "Edit “Smith wedding”")
	for range 5 {
		send(tm, key(tea.KeyTab))
	}
	for range 12 {
		send(tm, key(tea.KeyBackspace))
	}
	tm.Type("12")
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "Not saved", "The PIN must be 4 to 12 digits")
	final(t, tm)

	got, err := e.store.Gallery(context.Background(), g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.PIN != "123456" || got.PINVersion != g.PINVersion || !got.UpdatedAt.Equal(g.UpdatedAt) {
		t.Errorf("gallery changed: PIN %q version %d, want 123456 version %d", got.PIN, got.PINVersion, g.PINVersion)
	}
}

func TestImport_ProgressFailuresAndCount(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	photos := importPhotos(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")

	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU)) // clear the suggested folder
	tm.Type(photos + "/")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Imported 4 photos into “Smith wedding”, 1 failed")
	send(tm, runes("i")) // the gallery's last import, and its folder again
	waitFor(t, tm, "LAST IMPORT", "100%", "5 / 5 photos", "Done: 4 imported, 1 failed", "NOT IMPORTED", "truncated.jpg", photos+"/")
	final(t, tm)

	got, err := e.store.Gallery(context.Background(), g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Photos != 4 {
		t.Errorf("gallery holds %d photos, want 4", got.Photos)
	}
}

// importPhotos copies five of the repository's test photos into a folder
// of their own: four that import and one truncated JPEG that cannot.
func importPhotos(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range []string{
		"ianare_exif-samples/jpg/Olympus_C8080WZ.jpg",
		"ianare_exif-samples/jpg/Ricoh_Caplio_RR330.jpg",
		"ianare_exif-samples/jpg/Sony_HDR-HC3.jpg",
		"python-pillow_Pillow/Tests/images/hopper_orientation_6.jpg",
		"lovell_sharp/test/fixtures/truncated.jpg",
	} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "photos", p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestImport_TabCompletesFolders(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "123456")
	abs, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU))
	tm.Type(abs + "/pho")
	send(tm, key(tea.KeyTab))
	waitFor(t, tm, abs+"/photos/")
	final(t, tm)
}

func TestShare_ShowsLinkAndPIN(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "482917")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")

	send(tm, runes("s"))
	url := studio.GalleryURL("http://localhost:8080", g.Slug)
	waitFor(t, tm, "LINK", url, "PIN", "482 917", `"Smith wedding" is 482917`)
	final(t, tm)
}

func TestClients_SentenceNamesTickedGalleries(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith engagement", "111111")
	e.gallery("Smith wedding", "222222")
	e.gallery("Jones family", "") // public: nothing to skip
	tm := e.run(120, 40)
	waitFor(t, tm, "3 galleries")

	send(tm, runes("2"))
	waitFor(t, tm, "No client logins yet")
	send(tm, runes("n"))
	waitFor(t, tm, "New client login", "Opens no gallery yet")
	tm.Type("Anna Smith")
	send(tm, key(tea.KeyTab), key(tea.KeyTab), key(tea.KeyTab)) // → galleries
	// Newest first: Jones family, Smith wedding, Smith engagement.
	send(tm, key(tea.KeyDown), runes(" "), key(tea.KeyDown), runes(" "))
	waitFor(t, tm, "Opens 2 galleries — Smith wedding and Smith engagement without their PINs")
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "Saved the login of Anna Smith")
	final(t, tm)

	cs, err := e.store.Clients(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Name != "Anna Smith" || len(cs[0].Galleries) != 2 {
		t.Fatalf("got %+v, want Anna Smith with 2 galleries", cs)
	}
	all, _ := e.store.Galleries(context.Background())
	var titles []string
	for _, o := range studio.Opens(all, cs[0].Galleries, clock) {
		titles = append(titles, o.Gallery.Title)
	}
	slices.Sort(titles)
	if want := []string{"Smith engagement", "Smith wedding"}; !slices.Equal(titles, want) {
		t.Errorf("opens %v, want %v", titles, want)
	}
}

func TestActivity_NewEventsAppearLive(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("3"))
	waitFor(t, tm, "Nothing yet")

	ctx := context.Background()
	for i := range 3 {
		if err := e.store.AddEvent(ctx, db.Event{GalleryID: g.ID, Kind: db.EventPINFail, Address: fmt.Sprintf("203.0.113.%d", 7), At: clock.Add(-time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, tm, "typed a wrong PIN", "⚠ 3 wrong PINs in bursts")
	final(t, tm)
}

// manyPhotos writes n distinct photos (see testio.DistinctPhotos).
func manyPhotos(t *testing.T, n int) string {
	t.Helper()
	return testio.DistinctPhotos(t, "../testdata/photos/ianare_exif-samples/jpg/Sony_HDR-HC3.jpg", n)
}

// A photographer who runs pinhole in the folder of a shoot finds it
// offered, written from ~, and Enter imports it.
func TestImport_OffersTheWorkingFolder(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	src := manyPhotos(t, 3)
	dir, _ := inPictures(t, "smith-wedding")
	for _, name := range []string{"IMG_0000.jpg", "IMG_0001.jpg", "IMG_0002.jpg"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into", "› ~/Pictures/smith-wedding/")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Imported 3 photos into “Smith wedding”")
	final(t, tm)
	if n := e.checkFiles(g); n != 3 {
		t.Errorf("%d photos imported from the working folder, want 3", n)
	}
}

// startImport starts an import of dir into the gallery under the cursor.
func startImport(t *testing.T, tm *teatest.TestModel, dir string) {
	t.Helper()
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU))
	send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(dir), Paste: true}, key(tea.KeyEnter))
	waitFor(t, tm, "in the background")
}

// checkFiles says whether every photo of the gallery has its files:
// nothing half-written.
func (e *env) checkFiles(g db.Gallery) int {
	e.t.Helper()
	ps, err := e.store.Photos(context.Background(), g.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		if missing, err := e.lib.Check(context.Background(), p.SHA256); err != nil || len(missing) > 0 {
			e.t.Errorf("%s: missing %v", p.Filename, missing)
		}
	}
	return len(ps)
}

func TestImport_StopKeepsWhatFinishedAndResumes(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	dir := manyPhotos(t, 100)
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	startImport(t, tm, dir)
	// Some photos in, then the database held by another writer: the stop
	// comes after some and before all, however fast or slow the machine.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		ps, err := e.store.Photos(context.Background(), g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no photo imported in 20 s")
		}
	}
	release := e.holdWrites()
	send(tm, runes("i")) // the import under way
	waitFor(t, tm, "/ 100 photos", "x stops it")
	send(tm, runes("x"))
	release()
	waitFor(t, tm, "Cancelled: ", "What was imported stays")
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "1 gallery")

	got, err := e.store.Gallery(context.Background(), g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.Photos == 0 || got.Photos >= 100 {
		t.Errorf("gallery holds %d photos after a cancel, want some but not all", got.Photos)
	}
	e.checkFiles(g)

	// i offers the same folder again; the rest goes in.
	send(tm, runes("i"))
	waitFor(t, tm, "LAST IMPORT", "› "+dir)
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, fmt.Sprintf("Imported %d photos into “Smith wedding”", 100-got.Photos))
	final(t, tm)
	if n := e.checkFiles(g); n != 100 {
		t.Errorf("%d photos after the resume, want 100", n)
	}
}

// An import started from a gallery's screen returns to it, and that screen
// shows the photos once they are in, not the count from before.
func TestImport_GalleryScreenShowsTheNewCount(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "1 gallery")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", "0 · 0 B")
	startImport(t, tm, manyPhotos(t, 3))
	waitFor(t, tm, "Imported 3 photos into “Smith wedding”", "Photos     3 · ")
	final(t, tm)
}

// Imports run while the photographer works on, two galleries at once.
func TestImport_RunsInTheBackground(t *testing.T) {
	e := newEnv(t)
	a := e.gallery("Alpha", "")
	b := e.gallery("Bravo", "")
	tm := e.run(120, 40)
	waitFor(t, tm, "2 galleries")
	startImport(t, tm, manyPhotos(t, 200)) // Bravo, the newest, is first
	send(tm, key(tea.KeyDown))
	startImport(t, tm, manyPhotos(t, 200))
	waitFor(t, tm, "Alpha ⟳", "Bravo ⟳")
	// Meanwhile: a new gallery.
	send(tm, runes("n"), runes("Charlie"), key(tea.KeyCtrlS))
	waitFor(t, tm, "Created “Charlie”")
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "3 galleries")
	for _, g := range []db.Gallery{a, b} {
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			got, err := e.store.Gallery(context.Background(), g.Slug)
			if err != nil {
				t.Fatal(err)
			}
			if got.Photos == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s holds %d photos, want 200", g.Title, got.Photos)
			}
		}
	}
	// An import may not have told the TUI of its end yet: then quitting
	// asks first.
	send(tm, key(tea.KeyCtrlC), runes("y"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
}

// Quitting while an import runs asks first, then stops it safely.
func TestImport_QuitAsksAndStopsSafely(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	startImport(t, tm, manyPhotos(t, 2000))
	// Another writer holds the database, as a second pinhole would: the
	// import cannot end before the questions are answered, however fast
	// the machine.
	release := e.holdWrites()
	send(tm, runes("q"))
	waitFor(t, tm, "1 import is running: stop and quit? y/n")
	send(tm, runes("n")) // no: it goes on
	waitFor(t, tm, "⟳ Importing into “Smith wedding”")
	send(tm, runes("q"))
	waitFor(t, tm, "stop and quit? y/n")
	send(tm, runes("y"))
	release()
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	n := e.checkFiles(g)
	time.Sleep(300 * time.Millisecond)
	if again := e.checkFiles(g); again != n || n >= 2000 {
		t.Errorf("photos after quitting: %d, then %d; want the import stopped before the end", n, again)
	}
}

func TestGallery_DeleteAsksFirst(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")

	send(tm, runes("d"))
	waitFor(t, tm, "Delete “Smith wedding” with its 0 photos? Clients lose it at once.")
	send(tm, runes("n")) // no: nothing happens
	waitFor(t, tm, "e edit")
	send(tm, runes("d"))
	waitFor(t, tm, "Delete “Smith wedding”")
	if _, err := e.store.Gallery(context.Background(), g.Slug); err != nil {
		t.Fatalf("deleted before the answer: %v", err)
	}
	send(tm, runes("y"))
	waitFor(t, tm, "Deleted “Smith wedding”", "No galleries yet")
	final(t, tm)
	if _, err := e.store.Gallery(context.Background(), g.Slug); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("gallery still there: %v", err)
	}
}

func TestGallery_NewPINAfterConfirmation(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("P"))
	waitFor(t, tm, "A new PIN ends every PIN session of this gallery.")
	send(tm, runes("y"))
	waitFor(t, tm, "New PIN ")
	final(t, tm)
	got, err := e.store.Gallery(context.Background(), g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.PIN == "123456" || got.PINVersion != g.PINVersion+1 {
		t.Errorf("PIN %q version %d, want a new PIN and version %d", got.PIN, got.PINVersion, g.PINVersion+1)
	}
}

func TestActivity_ReopenShowsEachEventOnce(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	if err := e.store.AddEvent(context.Background(), db.Event{GalleryID: g.ID, Kind: db.EventView, Address: "203.0.113.5"}); err != nil {
		t.Fatal(err)
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("3"))
	waitFor(t, tm, "203.0.113.5       opened")
	send(tm, runes("1"))
	waitFor(t, tm, "1 gallery")
	send(tm, runes("3"))
	waitFor(t, tm, "203.0.113.5       opened")
	time.Sleep(200 * time.Millisecond) // a few polls
	view := final(t, tm).View()
	if n := strings.Count(view, " opened"); n != 1 {
		t.Errorf("the event is shown %d times:\n%s", n, view)
	}
}

func TestGalleries_MouseWheelScrolls(t *testing.T) {
	e := newEnv(t)
	for i := range 40 {
		e.gallery(fmt.Sprintf("Gallery %02d", i), "")
	}
	tm := e.run(80, 24)
	waitFor(t, tm, "1–17 of 40")
	send(tm, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	waitFor(t, tm, "4–20 of 40")
	send(tm, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	waitFor(t, tm, "1–17 of 40")
	final(t, tm)
}

func TestGalleries_FilterAndSubGalleries(t *testing.T) {
	e := newEnv(t)
	wedding := e.gallery("Smith wedding", "123456")
	sub := "Smith engagement"
	e.gallery(sub, "", func(in *db.GalleryInput) { in.Parent, in.Access = &wedding.Slug, nil })
	e.gallery("Jones family", "")
	tm := e.run(120, 40)
	waitFor(t, tm, "3 galleries", "  └ Smith engagement")
	send(tm, runes("/"))
	tm.Type("jones")
	waitFor(t, tm, "1 of 3 galleries match")
	send(tm, key(tea.KeyEnter), key(tea.KeyEnter)) // leave the filter, open the match
	waitFor(t, tm, "Jones family", "SETTINGS", "public")
	final(t, tm)
}

func TestSettings_SaveChangesTheHeaderAndRefusesABadURL(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("4"))
	waitFor(t, tm, "e or enter to change")
	send(tm, runes("e"), key(tea.KeyCtrlU))
	tm.Type("Lumen Studio")
	send(tm, key(tea.KeyTab), key(tea.KeyCtrlU))
	tm.Type("not a url")
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "use a full address such as https://photos.example.com")
	if v, _ := studio.Setting(context.Background(), e.store, db.SettingStudioName); v != "Pinhole" {
		t.Errorf("studio name saved as %q although the base URL was refused", v)
	}
	send(tm, key(tea.KeyCtrlU))
	tm.Type("https://photos.example.com")
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "Settings saved", "Lumen Studio")
	final(t, tm)
	if v, _ := e.store.Setting(context.Background(), db.SettingBaseURL); v != "https://photos.example.com" {
		t.Errorf("base URL %q", v)
	}
}

// lockedBuffer is an io.Writer the test reads while the program writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestShare_OneKeyCopiesThroughOSC52(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "482917")
	var clip lockedBuffer
	cfg := e.config()
	cfg.Output = &clip
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("s"))
	waitFor(t, tm, "LINK")

	send(tm, runes("l"))
	waitFor(t, tm, "Link copied")
	url := studio.GalleryURL("http://localhost:8080", g.Slug)
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(url)) + "\a"
	if !strings.Contains(clip.String(), want) {
		t.Errorf("terminal got %q, want the OSC 52 sequence %q", clip.String(), want)
	}
	send(tm, runes("p"))
	waitFor(t, tm, "PIN copied")
	if want := base64.StdEncoding.EncodeToString([]byte("482917")); !strings.Contains(clip.String(), want) {
		t.Errorf("the PIN was not copied: %q", clip.String())
	}
	final(t, tm)
}

func TestClient_PreviewLink(t *testing.T) {
	e := newEnv(t)
	e.client("Anna Smith")
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("2"))
	waitFor(t, tm, "1 client login")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Client login: Anna Smith")
	send(tm, key(tea.KeyCtrlP))
	waitFor(t, tm, "Preview for 15 minutes (copied): http://localhost:8080/preview/")
	final(t, tm)
}

// TestActivity_FilterKeptThenCleared: the activity filter works as the
// galleries' does: enter keeps it, esc afterwards clears it.
func TestActivity_FilterKeptThenCleared(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, title := range []string{"Smith wedding", "Jones family"} {
		g := e.gallery(title, "")
		if err := e.store.AddEvent(ctx, db.Event{GalleryID: g.ID, Kind: db.EventView, Address: "203.0.113.5"}); err != nil {
			t.Fatal(err)
		}
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "2 galleries")
	send(tm, runes("3"))
	waitFor(t, tm, "Smith wedding", "Jones family", "Live:")
	send(tm, runes("/"))
	tm.Type("zzz")
	waitFor(t, tm, "No event matches “zzz”.")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "/ filter") // the list's keys again, the filter kept
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "Smith wedding", "Jones family", "Live:")
	final(t, tm)
}

// Over SSH, where the server listens means nothing to the photographer:
// the status bar shows the address clients use.
func TestStatusBar_OverSSHShowsTheBaseURL(t *testing.T) {
	e := newEnv(t)
	if err := e.store.SetSetting(context.Background(), db.SettingBaseURL, "https://photos.example.com"); err != nil {
		t.Fatal(err)
	}
	cfg := e.config()
	cfg.Address, cfg.Remote = "", true
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "website https://photos.example.com")
	final(t, tm)
}

// TestLinks_GivenBaseURLLocally: the TUI beside a website started with
// --base-url (plain pinhole) hands out links on that address everywhere —
// the share screen, the gallery's screen, its preview link, a client
// login's message and preview — while the status bar shows where the
// website listens here, and no warning that links open only here.
func TestLinks_GivenBaseURLLocally(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "482917")
	e.client("Anna Smith")
	const base = "https://photos.example.com"
	link := studio.GalleryURL(base, g.Slug)
	var clip lockedBuffer
	cfg := e.config()
	cfg.Output = &clip
	cfg.Links = studio.Given{URL: base}
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("s"))
	waitFor(t, tm, "LINK", link)
	send(tm, runes("l"))
	waitFor(t, tm, "Link copied")
	if want := base64.StdEncoding.EncodeToString([]byte(link)); !strings.Contains(clip.String(), want) {
		t.Errorf("the copied link is not %s: %q", link, clip.String())
	}
	send(tm, key(tea.KeyEsc))
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", link)
	send(tm, runes("v"))
	waitFor(t, tm, "Preview link copied")
	send(tm, key(tea.KeyEsc))
	send(tm, runes("2"))
	waitFor(t, tm, "1 client login")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Client login: Anna Smith")
	send(tm, key(tea.KeyCtrlP))
	waitFor(t, tm, "Preview for 15 minutes (copied): "+base+"/preview/")
	send(tm, key(tea.KeyEsc), runes("s"))
	waitFor(t, tm, "Send the login of Anna Smith", "ADDRESS")
	settle(tm)
	m := final(t, tm)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "│ "+base) || strings.Contains(v, "only on this computer") || strings.Contains(v, "localhost") {
		t.Errorf("the client login's address is not %s, or the TUI speaks of this computer:\n%s", base, v)
	}
	// Every copy (OSC 52): the gallery's link, then the two previews.
	var copied []string
	for _, c := range regexp.MustCompile("\x1b]52;c;([A-Za-z0-9+/=]*)\a").FindAllStringSubmatch(clip.String(), -1) {
		b, _ := base64.StdEncoding.DecodeString(c[1])
		copied = append(copied, string(b))
	}
	if len(copied) != 3 || copied[0] != link || !strings.HasPrefix(copied[1], base+"/preview/") || !strings.HasPrefix(copied[2], base+"/preview/") {
		t.Errorf("copied %q, want %s and two previews on %s", copied, link, base)
	}
}

// TestClient_SentenceCountsWhatOpensAndNewCodeWarns: a granted draft is
// named as not open, not counted; the client list counts what opens; an
// edited code says before saving that the old code's sessions end.
func TestClient_SentenceCountsWhatOpensAndNewCodeWarns(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.gallery("Smith wedding", "222222")
	e.gallery("Proofs", "333333", func(in *db.GalleryInput) { in.Published = new(false) })
	name := "Anna Smith"
	// A code that does not end in Q, so that the Q typed over its last
	// character changes it (a random one did 1 time in 31).
	code := "K7QP2MXD9RTW"
	cl, err := e.store.CreateClient(ctx, db.ClientInput{Name: &name, Code: &code})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := e.store.Galleries(ctx)
	for _, g := range all {
		if err := e.store.Grant(ctx, cl.ID, g.Slug); err != nil {
			t.Fatal(err)
		}
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "2 galleries")
	send(tm, runes("2"))
	waitFor(t, tm, "OPENS", "1 client login")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Opens 1 gallery — Smith wedding without its PIN; not open: Proofs (a draft)")
	send(tm, key(tea.KeyTab)) // → code
	send(tm, key(tea.KeyBackspace))
	tm.Type("Q")
	waitFor(t, tm, "saving ends every session opened with the old code")
	final(t, tm)
}

// TestSettings_BaseURLSaysWhatLinksUse: the settings screen's Base URL
// says what links start with when that is not the value shown: the
// server's --base-url, which comes before the setting, or, while the
// setting is unset, the address the website answers at (--tls-domain's
// HTTPS address, or another port than the default's).
func TestSettings_BaseURLSaysWhatLinksUse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		links studio.Given
		want  string
	}{
		{"flag", studio.Given{URL: "https://flag.example.com", Serving: "https://photos.test"},
			"links start with https://flag.example.com (the server's --base-url), not this"},
		{"https", studio.Given{Serving: "https://photos.test"},
			"unset: links start with https://photos.test, where the website answers"},
		{"port", studio.Given{Serving: "http://localhost:9000"},
			"unset: links start with http://localhost:9000, where the website answers"},
		{"default", studio.Given{Serving: "http://localhost:8080"},
			"where clients reach the website; links start with it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.config()
			cfg.Links = tc.links
			tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(140, 40))
			waitFor(t, tm, "No galleries yet")
			send(tm, runes("4"))
			waitFor(t, tm, "Base URL", "http://localhost:8080", tc.want)
			final(t, tm)
		})
	}
}

// TestEnd_NoErrorForWhatTheEndCut: once the TUI's context ends (quitting,
// or the SSH session closing), a query cut short by it is not shown as an
// error ("list events: context canceled" in the status bar).
func TestEnd_NoErrorForWhatTheEndCut(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "482917")
	ctx, cancel := context.WithCancel(context.Background())
	cfg := e.config()
	cfg.Context = ctx
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "Smith wedding")
	cancel()
	send(tm, runes("3"))
	waitFor(t, tm, "[3 Activity]")
	settle(tm)
	if v := ansi.Strip(final(t, tm).View()); strings.Contains(v, "canceled") {
		t.Errorf("the end of the TUI shown as an error:\n%s", v)
	}
}

// The first frame is drawn at the size the terminal had when the TUI
// started, before the program reports it: over SSH at 60 columns it was
// drawn at 80 first, its lines wrapping on the photographer's screen.
func TestTUI_FirstFrameFitsTheTerminal(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "123456")
	for _, size := range [][2]int{{60, 20}, {120, 40}} {
		cfg := e.config()
		cfg.Width, cfg.Height = size[0], size[1]
		lines := strings.Split(tui.New(cfg).View(), "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: the first frame has %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: the first frame has a line %d columns wide: %q", size[0], size[1], w, ansi.Strip(l))
				break
			}
		}
	}
}
