package tui_test

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/media"
	"pinhole/tui"
)

// clock is the fixed time of every test: goldens must not move.
var clock = time.Date(2026, 6, 20, 15, 30, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	flag.Parse()
	time.Local = time.UTC
	os.Exit(m.Run())
}

// env is a real store and photo library in a temporary folder.
type env struct {
	t     testing.TB
	dir   string
	store *db.Store
	lib   *media.Library
}

func newEnv(t testing.TB) *env {
	t.Helper()
	dir := t.TempDir()
	s := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), dbtest.NewClock(clock))
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, dir: dir, store: s, lib: lib}
}

// holdWrites takes the database's write lock from a connection of its own
// until release, waiting for a write under way (an import's) to end.
func (e *env) holdWrites() (release func()) {
	e.t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(e.dir, "pinhole.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		e.t.Fatal(err)
	}
	conn, err := raw.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	if err != nil {
		raw.Close()
		e.t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			conn.ExecContext(ctx, "ROLLBACK")
			conn.Close()
			raw.Close()
		})
	}
	e.t.Cleanup(release)
	return release
}

func (e *env) gallery(title, pin string, mods ...func(*db.GalleryInput)) db.Gallery {
	e.t.Helper()
	in := db.GalleryInput{Title: &title}
	if pin != "" {
		in.PIN = &pin
	} else {
		pub := db.Public
		in.Access = &pub
	}
	for _, f := range mods {
		f(&in)
	}
	g, err := e.store.CreateGallery(context.Background(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// client makes a client login of that name.
func (e *env) client(name string) db.Client {
	e.t.Helper()
	cl, err := e.store.CreateClient(context.Background(), db.ClientInput{Name: &name})
	if err != nil {
		e.t.Fatal(err)
	}
	return cl
}

// fixSlug gives a gallery a known slug, so that goldens (and the QR code
// of its link) do not change from run to run.
func (e *env) fixSlug(g db.Gallery, slug string) db.Gallery {
	e.t.Helper()
	conn, err := sql.Open("sqlite", e.store.Path())
	if err != nil {
		e.t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec("UPDATE galleries SET slug = ? WHERE id = ?", slug, g.ID); err != nil {
		e.t.Fatal(err)
	}
	g, err = e.store.Gallery(context.Background(), slug)
	if err != nil {
		e.t.Fatal(err)
	}
	return g
}

// renderer draws without colours, as goldens need.
func renderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetColorProfile(termenv.Ascii)
	r.SetHasDarkBackground(true)
	return r
}

func (e *env) config() tui.Config {
	return tui.Config{
		Store: e.store, Library: e.lib, Renderer: renderer(), Output: io.Discard,
		Address: "http://127.0.0.1:8080",
		Poll:    50 * time.Millisecond,
	}
}

// run starts the real program on the root model in a terminal of w×h.
func (e *env) run(w, h int) *teatest.TestModel {
	e.t.Helper()
	return e.runWith(e.config(), w, h)
}

// runWith is run with a config of the test's own.
func (e *env) runWith(cfg tui.Config, w, h int) *teatest.TestModel {
	e.t.Helper()
	tm := teatest.NewTestModel(e.t, tui.New(cfg), teatest.WithInitialTermSize(w, h))
	e.t.Cleanup(func() { tm.Quit() })
	return tm
}

// goldenConfig is the config of a golden: the status line of what was
// just done stays however slowly a loaded machine gets to drawing it
// (it would clear after 6 s and leave the golden without it).
func (e *env) goldenConfig() tui.Config {
	cfg := e.config()
	cfg.StatusFor = time.Hour
	return cfg
}

// waitFor waits until the screen has shown all of texts.
func waitFor(t testing.TB, tm *teatest.TestModel, texts ...string) {
	t.Helper()
	var seen bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		seen.Reset()
		seen.WriteString(ansi.Strip(string(b)))
		for _, s := range texts {
			if !strings.Contains(seen.String(), s) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

// settle waits until the program has drawn nothing new for a quarter of a
// second (a cursor blinks every half second), at most three seconds: what
// loads after a screen first shows has landed by then, on a loaded machine
// too.
func settle(tm *teatest.TestModel) {
	buf := make([]byte, 64<<10)
	last := time.Now()
	for start := last; time.Since(last) < 250*time.Millisecond && time.Since(start) < 3*time.Second; time.Sleep(10 * time.Millisecond) {
		for {
			n, _ := tm.Output().Read(buf)
			if n == 0 {
				break
			}
			last = time.Now()
		}
	}
}

func key(t tea.KeyType) tea.KeyMsg { return tea.KeyMsg{Type: t} }

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func send(tm *teatest.TestModel, msgs ...tea.Msg) {
	for _, m := range msgs {
		tm.Send(m)
	}
}

// final quits and returns the root model as it ended.
func final(t testing.TB, tm *teatest.TestModel) tui.Model {
	t.Helper()
	tm.Send(key(tea.KeyCtrlC))
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(tui.Model)
}
